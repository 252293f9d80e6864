"""Demo data: staff log-ins and requests with real histories, made only through the services.

Every request is submitted, routed, claimed, answered, transferred, resolved and closed by
`inquiries.services` with an explicit `now=`, so the log, the routing decisions and the
business-hour durations are exactly what the live system would have recorded. A fixed seed gives
the same requests and stories on every run; the dates are counted back from the moment of the run.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from crm.models import Company, Contact, Membership, Unit, User
from crm.roles import ensure_service_manager_group
from routing.calendar import DEFAULT_CALENDAR
from routing.models import RequestType

from . import services
from .models import Inquiry, ReferenceCounter

DEFAULT_PASSWORD = "porvoo-demo-2026"


def demo_password() -> str:
    """Return the one password of every demo log-in: DEMO_PASSWORD, or the default."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


# -- staff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    language: str
    unit: str = ""  # unit code; empty for the service manager, who sees every unit
    role: str = Membership.Role.HANDLER
    is_service_manager: bool = False

    @property
    def role_label(self) -> str:
        if self.is_service_manager:
            return "service manager"
        return "unit manager" if self.role == Membership.Role.MANAGER else "handler"


STAFF: tuple[StaffMember, ...] = (
    StaffMember("handler.urban", "Aino", "Lehtinen", "fi", "urban-development"),
    StaffMember("handler2.urban", "Johan", "Lindqvist", "sv", "urban-development"),
    StaffMember(
        "manager.urban", "Kirsi", "Mäkelä", "fi", "urban-development", Membership.Role.MANAGER
    ),
    StaffMember("handler.employment", "Mikaela", "Holmström", "sv", "employment-services"),
    StaffMember("handler.posintra", "Ville", "Heinonen", "fi", "posintra"),
    StaffMember("handler.desk", "Linnea", "Sjöberg", "sv", "business-desk"),
    StaffMember("service.manager", "Petri", "Laaksonen", "fi", is_service_manager=True),
)


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    role: str
    unit: str
    password: str


def _ensure_user(member: StaffMember, password: str) -> User:
    user, created = User.objects.update_or_create(
        username=member.username,
        defaults={
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": f"{member.username}@porvoo.example",
            "language": member.language,
            "is_staff": True,  # signs in to the workspace and the admin
            "is_active": True,
            "is_service_manager": member.is_service_manager,
        },
    )
    # Hashing is slow on purpose: only when the password is new or has changed.
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def ensure_staff(password: str) -> list[Login]:
    """Create or update the demo staff, their units and roles; return their log-ins."""
    group = ensure_service_manager_group()
    units = {unit.code: unit for unit in Unit.objects.all()}
    logins = []
    for member in STAFF:
        user = _ensure_user(member, password)
        if member.is_service_manager:
            user.groups.add(group)
        if member.unit:
            Membership.objects.update_or_create(
                user=user, unit=units[member.unit], defaults={"role": member.role}
            )
        unit = member.unit or "all units"
        logins.append(Login(user.username, str(user), member.role_label, unit, password))
    return logins


@dataclass(frozen=True)
class Crew:
    """The demo staff as the stories need them: who works which unit, who manages it."""

    handlers: dict[str, list[User]]  # unit code → handlers, managers not included
    managers: dict[str, User]
    by_id: dict[int, User]

    @classmethod
    def load(cls) -> Crew:
        usernames = [member.username for member in STAFF]
        users = {user.username: user for user in User.objects.filter(username__in=usernames)}
        handlers: dict[str, list[User]] = {}
        managers: dict[str, User] = {}
        for member in STAFF:
            if member.role == Membership.Role.MANAGER:
                managers[member.unit] = users[member.username]
            elif member.unit:
                handlers.setdefault(member.unit, []).append(users[member.username])
        return cls(handlers, managers, {user.pk: user for user in users.values()})

    def handler(self, unit: str, pick: int) -> User:
        team = self.handlers[unit]
        return team[pick % len(team)]


# -- who writes, and what ------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    language: str
    company: str = ""
    sender: str = "company"  # company, private (about to start one, or a private matter), spam
    business_id: str = ""  # given at planning time, from the seed
    phone: str = ""


def _company(name: str, email: str, language: str, company: str) -> Person:
    return Person(name, email, language, company)


def _private(name: str, email: str, language: str) -> Person:
    return Person(name, email, language, sender="private")


PEOPLE: tuple[Person, ...] = (
    _company("Matti Laine", "matti.laine@example.fi", "fi", "Porvoon Puusepänliike Oy"),
    _company("Riikka Salonen", "riikka.salonen@example.fi", "fi", "Kullon Konepaja Oy"),
    _company("Pirjo Heikkinen", "pirjo@hamarinleipomo.example.fi", "fi", "Hamarin Kotileipomo Oy"),
    _company("Jari Koskinen", "jari.koskinen@example.fi", "fi", "Itä-Uudenmaan Kuljetus Oy"),
    _company("Tero Järvinen", "tero.jarvinen@example.fi", "fi", "Näsinmäen Sähkö Oy"),
    _company("Elina Lehtonen", "elina@saviniemenkahvila.example.fi", "fi", "Saviniemen Kahvila Oy"),
    _company("Antti Rauhala", "antti.rauhala@example.fi", "fi", "Rauhalan Rakennus Oy"),
    _company("Heikki Saarinen", "heikki.saarinen@example.fi", "fi", "Tolkkisten Venepalvelu Oy"),
    _company("Tiina Mattila", "tiina.mattila@example.fi", "fi", "Kerkkoon Kasvihuone Ky"),
    _company("Satu Hämäläinen", "satu.hamalainen@example.fi", "fi", "Porvoon Kehys ja Lasi Oy"),
    _company("Henrik Lindholm", "henrik.lindholm@example.fi", "sv", "Borgå Båtvarv Ab"),
    _company("Maria Söderström", "maria.soderstrom@example.fi", "sv", "Pellinge Fisk Ab"),
    _company("Fredrik Nyberg", "fredrik.nyberg@example.fi", "sv", "Emsalö Snickeri Ab"),
    _company(
        "Camilla Blomqvist", "camilla.blomqvist@example.fi", "sv", "Gammelbacka Bilservice Ab"
    ),
    _company("Karl-Erik Wikström", "kalle.wikstrom@example.fi", "sv", "Hindhår Gård Ab"),
    _company("Annika Forsman", "annika.forsman@example.fi", "sv", "Ölstens Trädgård Ab"),
    _company("Daniel Becker", "daniel.becker@example.com", "en", "Nordic Coastal Robotics Oy"),
    _company("Priya Nair", "priya.nair@example.com", "en", "Porvoo Data Labs Oy"),
    _company("Tomasz Nowak", "tomasz.nowak@example.com", "en", "Baltic Biomaterials Oy"),
    _company("Emily Carter", "emily.carter@example.com", "en", "Sköldvik Process Services Oy"),
    _private("Janne Kallio", "janne.kallio@example.fi", "fi"),
    _private("Noora Aaltonen", "noora.aaltonen@example.fi", "fi"),
    _private("Emma Grönroos", "emma.gronroos@example.fi", "sv"),
    _private("Oskar Lindroos", "oskar.lindroos@example.fi", "sv"),
    _private("Ahmed Hassan", "ahmed.hassan@example.com", "en"),
    _private("Sofia Rossi", "sofia.rossi@example.com", "en"),
    Person("Top Ranking Team", "offers@seo-ranking.example.com", "en", sender="spam"),
    Person("Accounts Receivable", "billing@invoice-portal.example.com", "en", sender="spam"),
)


@dataclass(frozen=True)
class Sample:
    """One plausible request and the conversation that settles it."""

    language: str
    request_type: str
    subject: str
    description: str
    question: str = ""
    answer: str = ""
    outcome: str = ""
    sender: str = "company"
    transfer_to: str = ""  # the unit it belongs to when routing (or the requester) got it wrong
    transfer_reason: str = ""
    close_reason: str = ""  # spam or out_of_scope: closed without handling
    referral: str = ""


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "fi",
        "business-plot",
        "Tontti varastohallille Kuninkaanportista",
        "Etsimme noin 6 000 m² yritystonttia uudelle varasto- ja huoltohallille Kuninkaanportin "
        "alueelta. Mitä tontteja on vapaana, mitä ne maksavat ja voiko tontin ostamisen sijaan "
        "vuokrata?",
        "Kuinka paljon kerrosalaa hallille tarvitaan ja milloin aiotte aloittaa rakentamisen?",
        "Halliin tulisi noin 2 000 m² kerrosalaa, ja rakentaminen alkaisi ensi keväänä.",
        "Kuninkaanportista on vapaana kaksi sopivaa tonttia, noin 6 200 m² ja 7 500 m². Lähetin "
        "karttaotteet, hinnat ja vuokrausehdot sähköpostiinne. Tontin voi varata kuudeksi "
        "kuukaudeksi ennen kauppaa tai vuokrasopimusta.",
    ),
    Sample(
        "sv",
        "business-plot",
        "Tomt för en ny produktionshall",
        "Vi planerar en produktionshall på cirka 1 500 m² och söker en tomt i Tarkkinen eller "
        "Kungsporten. Kan tomten arrenderas först och köpas senare?",
        "Behöver ni anslutning till järnväg eller hamn, och hur mycket tung trafik räknar ni "
        "med per dag?",
        "Ingen järnväg behövs, men cirka tio lastbilar per dag.",
        "Tomten Tarkkinen 14 passar er. Den kan arrenderas med köpoption i tio år. Jag skickade "
        "arrendevillkoren och en reservationsblankett till er e-post.",
    ),
    Sample(
        "en",
        "business-plot",
        "Business plot for a logistics centre",
        "We would like to buy a business plot of about two hectares near Kilpilahti for a "
        "logistics centre. Which plots are available, and what is the price per square metre?",
        "Will trucks run around the clock, and do you need the whole two hectares at once?",
        "Yes, trucks would run 24/7. We could start with 1.2 hectares and keep an option on the "
        "rest.",
        "Two plots in Sköldvik fit your needs. The prices and reservation terms are in the "
        "summary I e-mailed you, and we can hold an option on the neighbouring plot for two "
        "years.",
    ),
    Sample(
        "fi",
        "zoning",
        "Asemakaavan muutos: myymälä ja kahvila vanhaan halliin",
        "Omistamme vanhan teollisuusrakennuksen Näsissä. Voiko asemakaavaa muuttaa niin, että "
        "rakennukseen saa tehdä myymälän ja kahvilan?",
        "Onko teillä jo luonnos tilojen käytöstä ja arvio siitä, montako pysäköintipaikkaa "
        "asiakkaat tarvitsevat?",
        "Lähetin luonnoksen sähköpostilla. Pysäköintipaikkoja tarvittaisiin noin 30.",
        "Kaavamuutos on mahdollinen. Hakemus tehdään kaupungin sähköisellä lomakkeella, ja "
        "kaavamuutoksen kustannukset peritään hakijalta. Käsittely kestää arviolta vuoden. "
        "Varasin teille aloituspalaverin kaavoittajan kanssa.",
    ),
    Sample(
        "sv",
        "zoning",
        "Vad får vi bygga på vår tomt i Vårberga?",
        "Vi äger en tomt i Vårberga och vill veta vad detaljplanen tillåter: antal våningar, "
        "byggrätt och om vi får ha en verkstad där.",
        "Vilken är tomtens fastighetsbeteckning?",
        "Den är 638-12-45-7.",
        "Detaljplanen tillåter två våningar och 1 200 m² våningsyta för affärs- och "
        "verkstadsbyggnader. Planbestämmelserna och ett kartutdrag finns i mitt e-postmeddelande.",
    ),
    Sample(
        "en",
        "zoning",
        "Can a former village school become a small hotel?",
        "We are interested in buying the former village school in Kerkkoo and turning it into a "
        "small hotel with twelve rooms. Does the local plan allow this, or would the plan have "
        "to be changed?",
        "Do you plan any new buildings on the site, or only changes inside the existing school?",
        "Only changes inside, plus a small sauna building in the yard.",
        "The plan reserves the site for public services, so a hotel needs a decision on "
        "deviation from the plan; a full plan change is not needed. The application form and "
        "the fees are in my e-mail. Handling usually takes two to three months.",
    ),
    Sample(
        "fi",
        "building-permit",
        "Rakennuslupa tuotantohallin laajennukselle",
        "Haluamme laajentaa tuotantohalliamme noin 800 m². Mitä liitteitä "
        "rakennuslupahakemukseen tarvitaan ja kauanko käsittely kestää?",
        "Onko laajennukselle jo pääsuunnittelija, ja muuttuuko hallin käyttötarkoitus?",
        "Pääsuunnittelija on valittu, ja käyttötarkoitus pysyy samana.",
        "Hakemus jätetään Lupapisteessä. Tarvitaan pääpiirustukset, asemapiirros, selvitys "
        "naapurien kuulemisesta ja jätevesiselvitys. Käsittely kestää nyt noin kuusi viikkoa. "
        "Varasin teille ennakkoneuvottelun rakennustarkastajan kanssa ensi viikon tiistaille.",
    ),
    Sample(
        "sv",
        "building-permit",
        "Bygglov för en ny butiksbyggnad",
        "Vi ska bygga en ny butiksbyggnad på 400 m² på vår egen tomt i Gammelbacka. Hur ansöker "
        "vi om bygglov och vad kostar det?",
        "Har ni redan en huvudplanerare och preliminära ritningar?",
        "Ja, arkitekten har gjort skisser som vi kan skicka.",
        "Bygglovet söks i tjänsten Lupapiste. Avgiften för en byggnad på 400 m² är cirka 2 400 "
        "euro enligt stadens taxa. Skicka gärna skisserna till byggnadstillsynen för ett "
        "förhandsmöte innan ni lämnar in ansökan.",
    ),
    Sample(
        "en",
        "building-permit",
        "Do we need a permit for a covered summer terrace?",
        "We run a restaurant in the Old Town and would like to build a covered summer terrace in "
        "the courtyard. Do we need a building permit, and are there special rules for the Old "
        "Town?",
        "How large would the terrace be, and would it have a roof or walls?",
        "About 40 m², with a light roof but no walls.",
        "A covered terrace of that size needs a permit for minor works, and the Old Town "
        "conservation guidelines apply. I sent you the guidelines and a link to the "
        "application; the city's conservation expert can review your sketch before you apply.",
    ),
    Sample(
        "fi",
        "building-permit",
        "Kylmävarasto tilalle",
        "Rakennamme tilallemme noin 200 m² kylmävaraston perunoille. Tarvitaanko rakennuslupa "
        "vai riittääkö kevyempi menettely?",
        "Sijaitseeko tila asemakaava-alueella vai haja-asutusalueella?",
        "Haja-asutusalueella Hindsbyssä.",
        "Maatalouden varastorakennus haja-asutusalueella tarvitsee rakennusluvan, mutta "
        "käsittely on kevyt. Ohje ja lomake ovat sähköpostissanne, ja rakennustarkastaja "
        "katsoo asemapiirroksen mielellään ennen hakemusta.",
    ),
    Sample(
        "fi",
        "environmental-permit",
        "Ympäristölupa autokorjaamolle ja maalaamolle",
        "Avaamme autokorjaamon ja maalaamon Tarkkiseen. Tarvitaanko ympäristölupa vai riittääkö "
        "ilmoitus?",
        "Kuinka paljon maaleja ja liuottimia arvioitte käyttävänne vuodessa?",
        "Arviolta noin 3 000 kiloa vuodessa.",
        "Tuolla liuotinmäärällä maalaamo tarvitsee ympäristöluvan; pelkkä korjaamo olisi "
        "hoitunut ilmoituksella. Lähetin hakemuslomakkeen ja listan liitteistä. "
        "Ympäristönsuojelu neuvoo mielellään ennen hakemuksen jättämistä.",
    ),
    Sample(
        "sv",
        "environmental-permit",
        "Tillfällig stenkrossning på en byggarbetsplats",
        "Vi ska krossa berg på en byggarbetsplats i Kullo under tre veckor i maj. Behövs "
        "miljötillstånd eller räcker en anmälan om buller?",
        "Hur nära ligger de närmaste bostäderna, och vilka tider skulle krossen vara i gång?",
        "Närmaste hus ligger cirka 400 meter bort. Krossen går vardagar kl. 7–18.",
        "För tillfällig krossning räcker en anmälan om bullrande verksamhet. Lämna in den "
        "senast 30 dagar innan arbetet börjar. Blanketten och villkoren för arbetstiderna finns "
        "i mitt e-postmeddelande.",
    ),
    Sample(
        "en",
        "environmental-permit",
        "Environmental permit for a microbrewery",
        "We are opening a microbrewery in Porvoo that will make about 150,000 litres a year. Do "
        "we need an environmental permit, and what about the waste water?",
        "Will the process water go into the municipal sewer, and have you spoken to the water "
        "utility yet?",
        "Yes, into the sewer. We have not contacted the water utility yet.",
        "At that volume a brewery needs no environmental permit, but it must register with "
        "environmental protection and make an industrial waste water agreement with the water "
        "utility. The contacts and the registration form are in my e-mail.",
    ),
    Sample(
        "fi",
        "recruitment",
        "Apua kahden sähköasentajan rekrytointiin",
        "Tarvitsemme kaksi sähköasentajaa mahdollisimman pian. Voitteko auttaa "
        "työpaikkailmoituksen kanssa ja löytämään hakijoita?",
        "Vaaditaanko tehtävissä sähköpätevyys, ja voitteko joustaa aloituspäivässä?",
        "Sähköturvallisuustutkinto tarvitaan. Aloitus voisi olla kuukauden sisällä.",
        "Julkaisimme ilmoituksen Työmarkkinatorilla ja jaoimme sen oppilaitoksille. Lähetän "
        "teille kolmen kiinnostuneen hakijan tiedot, ja ehdotamme rekrytointitilaisuutta ensi "
        "kuussa.",
    ),
    Sample(
        "sv",
        "recruitment",
        "Vi behöver lagerarbetare",
        "Vårt lager i Kullo behöver fyra nya lagerarbetare på heltid. Kan ni hjälpa oss att "
        "hitta sökande som talar svenska eller finska?",
        "Har ni krav på truckkort, och arbetar man i skift?",
        "Truckkort är ett plus. Arbetet sker i två skift.",
        "Vi publicerade annonsen på Jobbmarknaden och i våra kanaler på båda språken. Tolv "
        "arbetssökande har redan visat intresse; jag skickar deras uppgifter när de har gett "
        "sitt samtycke.",
    ),
    Sample(
        "en",
        "recruitment",
        "Hiring software developers from abroad",
        "We need two senior software developers and are considering candidates from outside the "
        "EU. Can you help us recruit and explain what the permits involve?",
        "Have you already found candidates, or do you need help finding them too?",
        "We have one candidate from India; we still need to find the second.",
        "I sent you the guide to recruiting from abroad and the Work in Finland contacts. A "
        "specialist's residence permit with the fast track usually takes about two weeks. We "
        "will also share your vacancy in the Talent Boost network.",
    ),
    Sample(
        "fi",
        "recruitment",
        "Kesätyöntekijöitä kahvilaan",
        "Etsimme kahvilaamme kolmea kesätyöntekijää kesä–elokuuksi. Miten saamme paikat "
        "porvoolaisten nuorten tietoon?",
        "Haluatteko hyödyntää kaupungin kesäseteliä, ja minkä ikäisiä työntekijöitä toivotte?",
        "Kesäseteli kiinnostaa. Toivomme 16–18-vuotiaita.",
        "Lisäsimme paikat kaupungin kesätyösivulle ja nuorten rekrytointitapahtumaan. "
        "Kesäseteli on 300 euroa työntekijää kohden; hakuohje on sähköpostissanne.",
    ),
    Sample(
        "fi",
        "wage-subsidy",
        "Palkkatuki uuden työntekijän palkkaamiseen",
        "Aiomme palkata henkilön, joka on ollut pitkään työttömänä. Voimmeko saada palkkatukea "
        "ja miten sitä haetaan?",
        "Onko henkilö ilmoittautunut työnhakijaksi, ja kuinka pitkä työsuhde olisi?",
        "On ilmoittautunut. Työsuhde olisi vuoden mittainen.",
        "Palkkatukea voi saada 50 % palkkakuluista enintään vuoden ajan. Tuki haetaan "
        "Työmarkkinatorilla ennen työsuhteen alkua. Tarkistin, että henkilö täyttää ehdot; "
        "hakemuksen voi jättää heti.",
    ),
    Sample(
        "sv",
        "wage-subsidy",
        "Lönesubvention för en långtidsarbetslös",
        "Vi vill anställa en person som har varit arbetslös i två år. Kan vi få "
        "lönesubvention, och hur länge?",
        "Är anställningen på heltid, och vilket kollektivavtal följer ni?",
        "Heltid, handelns kollektivavtal.",
        "Ni kan få lönesubvention för 50 procent av lönekostnaderna i upp till tolv månader. "
        "Ansökan görs i Jobbmarknaden innan anställningen börjar; jag skickade en checklista.",
    ),
    Sample(
        "en",
        "wage-subsidy",
        "Wage subsidy for a trainee chef",
        "Our restaurant would like to hire an unemployed jobseeker as a trainee chef. Is there "
        "a wage subsidy for this?",
        "How many hours a week would the chef work, and for how long?",
        "30 hours a week, for eight months.",
        "Yes: the wage subsidy covers 50 % of the wage costs for the eight months. Apply in the "
        "Job Market Finland service before the work starts; the instructions are in my e-mail, "
        "and I am glad to check the application.",
    ),
    Sample(
        "fi",
        "training",
        "Oppisopimus nykyiselle työntekijälle",
        "Työntekijämme haluaisi suorittaa metallialan ammattitutkinnon työn ohessa. Miten "
        "oppisopimus järjestetään?",
        "Onko työpaikalla kokenut työntekijä, joka voisi toimia työpaikkaohjaajana?",
        "On, työnjohtajamme on tehnyt alan töitä 20 vuotta.",
        "Oppisopimus tehdään Inveonin kanssa. Sovimme yhteisen tapaamisen, jossa laaditaan "
        "henkilökohtainen osaamisen kehittämissuunnitelma. Työpaikkaohjaajalle on tarjolla "
        "lyhyt koulutus.",
    ),
    Sample(
        "sv",
        "training",
        "Truckutbildning för personalen",
        "Vi vill att sex anställda går en utbildning i truckkörning. Finns det stöd för "
        "personalutbildning?",
        "Är det nya anställda eller personer som redan arbetar hos er?",
        "Alla arbetar redan hos oss.",
        "För personal som redan är anställd passar en gemensamt upphandlad utbildning; Inveon "
        "ordnar truckkurser på svenska. Jag skickade kursdatumen och hur kostnaderna delas.",
    ),
    Sample(
        "en",
        "training",
        "Finnish language training for our staff",
        "Half of our staff speak only English. Is there Finnish language training that we could "
        "arrange at work?",
        "How many people would take part, and what is their level of Finnish now?",
        "Eight people, mostly beginners.",
        "We can arrange a workplace Finnish course for beginners with the local adult education "
        "centre, and the city covers part of the cost. I sent you the course outline and the "
        "dates of the next group.",
    ),
    Sample(
        "fi",
        "business-start",
        "Toiminimen perustaminen ja starttiraha",
        "Olen perustamassa toiminimeä siivousalalle. Voinko saada starttirahaa ja mistä aloitan?",
        "Onko teillä jo liiketoimintasuunnitelma, ja oletteko nyt töissä vai työtön?",
        "Suunnitelma on luonnosvaiheessa. Olen tällä hetkellä työtön.",
        "Varasin teille ajan yritysneuvojalle ensi viikolle. Käymme liiketoimintasuunnitelman "
        "yhdessä läpi ja teemme starttirahahakemuksen ennen kuin yritystoiminta alkaa; "
        "jälkikäteen sitä ei voi hakea.",
        sender="private",
    ),
    Sample(
        "sv",
        "business-start",
        "Jag vill starta eget som frisör",
        "Jag är utbildad frisör och vill starta eget företag i Borgå. Vilken företagsform passar, "
        "och finns det startpeng?",
        "Tänker du hyra en stol i en befintlig salong eller öppna en egen?",
        "Till en början hyra en stol, senare kanske en egen salong.",
        "För att hyra en stol passar enskild firma bäst. Jag bokade en tid hos vår "
        "företagsrådgivare, som hjälper dig med affärsplanen och ansökan om startpeng. En "
        "checklista för registreringen kommer per e-post.",
        sender="private",
    ),
    Sample(
        "en",
        "business-start",
        "Starting a web design company in Porvoo",
        "I moved to Porvoo last year and want to start a web design business. How do I register "
        "a company, and do I need a Finnish bank account first?",
        "Will you work alone, and does your residence status allow self-employment?",
        "I will work alone, and I am an EU citizen.",
        "As an EU citizen you can register as a sole trader online with the Finnish Patent and "
        "Registration Office. I booked you a meeting with our English-speaking business adviser, "
        "who will go through the business plan, taxes and banking with you.",
        sender="private",
    ),
    Sample(
        "fi",
        "business-start",
        "Osakeyhtiö vai toiminimi?",
        "Aloitamme kaverini kanssa ohjelmistoalan yrityksen. Kannattaako perustaa osakeyhtiö vai "
        "toiminimi, ja mitä perustaminen maksaa?",
        "Tuleeko yritykseen muita omistajia tai rahoittajia lähivuosina?",
        "Ehkä sijoittaja parin vuoden päästä.",
        "Kahdelle perustajalle ja tulevalle sijoittajalle osakeyhtiö on selvä valinta. "
        "Perustamisilmoituksen käsittelymaksu on noin 300 euroa. Lähetin osakassopimuksen "
        "mallipohjan ja varasin ajan yritysneuvojalle.",
        sender="private",
    ),
    Sample(
        "fi",
        "growth-funding",
        "Rahoitus uuteen tuotantolinjaan",
        "Suunnittelemme uutta tuotantolinjaa, joka maksaa noin 400 000 euroa. Mitä "
        "rahoitusvaihtoehtoja on?",
        "Paljonko omarahoitusta teillä on, ja onko hankkeesta jo kannattavuuslaskelma?",
        "Omarahoitusta on 100 000 euroa, ja laskelma on tehty.",
        "Suosittelemme yhdistelmää: ELY-keskuksen kehittämisavustus, Finnveran laina ja "
        "pankkilaina. Kävimme laskelman läpi ja sovimme tapaamisen ELY-keskuksen asiantuntijan "
        "kanssa.",
    ),
    Sample(
        "sv",
        "growth-funding",
        "Export till Sverige och Norge",
        "Vi tillverkar båtdelar och vill börja sälja till Sverige och Norge. Var börjar vi, och "
        "finns det stöd för export?",
        "Har ni redan kunder eller återförsäljare i Sverige eller Norge?",
        "Vi har en återförsäljare i Stockholm, ingen i Norge.",
        "Vi föreslår Business Finlands exporttjänster och en gemensam resa till båtmässan i "
        "Göteborg. Vår rådgivare hjälper er med en exportplan; det första mötet är bokat.",
    ),
    Sample(
        "en",
        "growth-funding",
        "Looking for investors for our robotics start-up",
        "We are a three-person robotics company and want to raise a seed round of 500,000 "
        "euros. Can you help us meet investors?",
        "Do you have a pitch deck and a first customer pilot?",
        "Yes to both; the pilot runs with a logistics company in Vantaa.",
        "We reviewed your pitch deck and introduced you to two angel investors from our "
        "network. You are also invited to pitch at the Porvoo investor morning next month.",
    ),
    Sample(
        "fi",
        "growth-funding",
        "Sukupolvenvaihdos leipomossa",
        "Jäämme eläkkeelle kahden vuoden päästä, ja toivomme, että tyttäremme jatkaa leipomoa. "
        "Miten sukupolvenvaihdos kannattaa tehdä?",
        "Onko tyttärenne jo mukana yrityksen työssä, ja haluatteko luopua yrityksestä kerralla?",
        "Hän on ollut töissä leipomossa viisi vuotta. Vaiheittainen luopuminen kiinnostaa.",
        "Kävimme läpi vaiheittaisen sukupolvenvaihdoksen vaihtoehdot ja verohuojennukset. "
        "Lähetin muistion ja omistajanvaihdosten asiantuntijan yhteystiedot; hän auttaa "
        "arvonmäärityksessä.",
    ),
    Sample(
        "fi",
        "premises",
        "Toimistotila neljälle hengelle",
        "Etsimme Porvoon keskustasta noin 60 m² toimistotilaa neljälle hengelle, mieluiten "
        "heti. Onko vapaita tiloja?",
        "Mikä on kuukausibudjettinne, ja tarvitsetteko pysäköintipaikkoja?",
        "Noin 1 200 euroa kuussa. Kaksi pysäköintipaikkaa olisi hyvä.",
        "Lähetin neljä sopivaa vapaata toimitilaa keskustasta ja vuokranantajien yhteystiedot. "
        "Yhden niistä voi käydä katsomassa jo tällä viikolla.",
    ),
    Sample(
        "sv",
        "premises",
        "Butikslokal i Gamla stan",
        "Jag söker en liten butikslokal i Gamla stan för en inredningsbutik, gärna med "
        "skyltfönster mot gatan.",
        "Hur stor yta behöver du, och när vill du öppna?",
        "Cirka 40–60 m², och jag vill öppna till sommaren.",
        "Två lokaler i Gamla stan blir lediga i vår. Jag skickade uppgifterna och kontaktade "
        "hyresvärdarna, som gärna visar lokalerna nästa vecka.",
    ),
    Sample(
        "en",
        "premises",
        "Workshop space for boat repairs",
        "We repair boat engines and need a workshop of about 300 m² near the water, with a wide "
        "door and a yard for trailers.",
        "Do you need the space all year round or mainly for the winter season?",
        "All year round, but winter is the busiest time.",
        "We found two suitable halls, one of them by the harbour in Tolkkinen. I sent you the "
        "details and put you in touch with the owners.",
    ),
    Sample(
        "fi",
        "other",
        "Lisää väkeä tehtaalle syksyksi",
        "En tiedä, kenelle tämä kuuluu: tarvitsemme tehtaalle kymmenen uutta työntekijää "
        "syksyksi ja haluaisimme rekrytoida paikallisia.",
        "Millaisia tehtäviä työ sisältää, ja vaaditaanko aiempaa kokemusta?",
        "Kokoonpanotöitä. Perehdytämme itse, joten kokemusta ei tarvita.",
        "Järjestämme teille rekrytointitilaisuuden ja räätälöidyn koulutuksen, jonka jälkeen "
        "työnhakijat voivat aloittaa. Ensimmäinen suunnittelupalaveri on sovittu.",
    ),
    Sample(
        "sv",
        "other",
        "Tomt för ett nytt bageri",
        "Vet inte vart jag ska vända mig: vi behöver en tomt på cirka 2 000 m² för ett nytt "
        "bageri med butik.",
        "Behöver ni plats för kundparkering och en lastkaj för leveranser?",
        "Ja, cirka tio parkeringsplatser och en lastkaj.",
        "Tomterna i Kungsporten passar er. Jag skickade kartan, priserna och "
        "reservationsblanketten.",
    ),
    Sample(
        "en",
        "other",
        "Not sure whom to ask about funding",
        "We would like to open a second café and need funding for the fit-out. Who in the city "
        "can advise us?",
        "How much do you need, and have you already talked to your bank?",
        "About 60,000 euros. The bank asked us for a business plan first.",
        "Our adviser will help you update the business plan for the bank, and a Finnvera "
        "guarantee can cover part of the loan. The meeting is booked for Thursday.",
    ),
    Sample(
        "fi",
        "other",
        "Yrityksen myynti eläköitymisen vuoksi",
        "Olen jäämässä eläkkeelle ja haluaisin myydä yritykseni. Löytyisikö sille jatkaja?",
        "Montako työntekijää yrityksessä on, ja mikä on sen liikevaihto?",
        "Viisi työntekijää, liikevaihto noin 800 000 euroa.",
        "Lisäsimme yrityksenne nimettömänä Yrityspörssiin ja kerroimme siitä kolmelle "
        "mahdolliselle ostajalle. Omistajanvaihdosneuvojamme ottaa yhteyttä tällä viikolla.",
    ),
    Sample(
        "fi",
        "other",
        "Palautetta yrittäjäaamiaisesta",
        "Kiitos eilisestä aamiaistilaisuudesta! Voisiko seuraavan kerran aloittaa hieman "
        "myöhemmin, esimerkiksi puoli yhdeksältä?",
        "Kiitos! Saammeko välittää palautteen nimellänne järjestäjille?",
        "Toki, ei haittaa.",
        "Kiitos palautteesta! Välitimme toiveen järjestäjille; kevään tilaisuudet alkavat "
        "puoli yhdeksältä.",
    ),
    Sample(
        "sv",
        "other",
        "Försäljningsplats på julmarknaden",
        "Jag gör keramik och vill sälja på julmarknaden på Gamla stans torg. Vem ska jag "
        "kontakta, och när öppnar anmälan?",
        "Säljer du som företagare eller som privatperson?",
        "Jag har en enskild firma.",
        "Anmälan till julmarknaden öppnar i september på stadens evenemangssida. Jag skickade "
        "länken och kontaktuppgifterna till marknadsarrangören.",
    ),
    Sample(
        "en",
        "other",
        "Could someone from the city visit us?",
        "We moved our head office to Porvoo this autumn and would like to introduce ourselves "
        "to the city. Could someone visit us?",
        "Welcome to Porvoo! Which days would suit you best?",
        "Tuesday or Thursday mornings.",
        "Our business director would be glad to visit; I suggested two Thursday mornings by "
        "e-mail.",
    ),
    Sample(
        "fi",
        "other",
        "Valomainos liikkeen seinään",
        "Saako liikkeemme seinään laittaa valomainoksen? Kenelle tästä pitää ilmoittaa?",
        "Kuinka suuri mainos on, ja onko rakennus suojeltu?",
        "Noin neljä kertaa yksi metriä. Talo ei ole suojeltu.",
        "Valomainos tarvitsee toimenpideluvan. Hakemus tehdään Lupapisteessä; liitteiksi "
        "julkisivupiirros, jossa mainos näkyy, ja taloyhtiön suostumus. Käsittely kestää noin "
        "kaksi viikkoa.",
        transfer_to="urban-development",
        transfer_reason="Mainoslaite vaatii toimenpideluvan: rakennusvalvonta.",
    ),
    Sample(
        "fi",
        "business-plot",
        "Vuokrahalli autokorjaamolle",
        "Etsimme vuokralle noin 300 m² hallia autokorjaamolle Porvoosta. Valitsin tonttiasian, "
        "koska parempaa vaihtoehtoa ei löytynyt.",
        "Tarvitsetteko hallissa nosturin tai maalauskopin?",
        "Nosturi olisi hyvä, maalauskoppia ei tarvita.",
        "Lähetin kolme vapaata hallia Tarkkisista ja Kuninkaanportista. Yhdessä on valmiina "
        "nosturirata.",
        transfer_to="posintra",
        transfer_reason="Asiakas hakee vuokrahallia eikä tonttia: Posintran toimitilapalvelu.",
    ),
    Sample(
        "en",
        "training",
        "Course on becoming an entrepreneur",
        "I want to become an entrepreneur and am looking for a course on running a small "
        "business. I chose training because I was not sure.",
        "What kind of business are you planning?",
        "A small bakery with catering.",
        "Posintra's free start-up course in English begins next month, and you are on the list. "
        "Our adviser can also meet you to go through your business idea.",
        sender="private",
        transfer_to="posintra",
        transfer_reason="Blivande företagare, ingen personalutbildning: Posintras rådgivning.",
    ),
    Sample(
        "sv",
        "premises",
        "Egen lagerhall på vår tomt",
        "Vi har en tomt i Tarkkinen och vill bygga en egen lagerhall på 600 m² i stället för att "
        "hyra. Hur går vi vidare?",
        "Äger ni tomten, eller arrenderar ni den av staden?",
        "Vi arrenderar den av staden.",
        "Hallen kräver bygglov, och arrendeavtalet tillåter en lagerhall. Vi bokade ett "
        "förhandsmöte med byggnadstillsynen; ta med en skiss över placeringen.",
        transfer_to="urban-development",
        transfer_reason="Kunden bygger på egen tomt: bygglov, stadsutvecklingen.",
    ),
    Sample(
        "fi",
        "growth-funding",
        "Tukea palkkakuluihin",
        "Haemme rahoitusta palkkakuluihin, kun palkkaamme kaksi pitkään työttömänä ollutta. "
        "Valitsin rahoituksen, oliko se oikein?",
        "Ovatko henkilöt jo tiedossa, ja milloin työsuhteet alkaisivat?",
        "Ovat, ja molemmat voisivat aloittaa ensi kuun alussa.",
        "Molemmista voi saada palkkatukea 50 % palkkakuluista. Hakemukset tehdään "
        "Työmarkkinatorilla ennen työsuhteiden alkua; ohje on sähköpostissanne.",
        transfer_to="employment-services",
        transfer_reason="Kyse on palkkatuesta: työllisyyspalvelut.",
    ),
)

OUT_OF_SCOPE: tuple[Sample, ...] = (
    Sample(
        "fi",
        "other",
        "Kiinteistövero nousi",
        "Omakotitaloni kiinteistövero nousi tänä vuonna paljon. Mistä voin kysyä, miksi?",
        sender="private",
        close_reason=Inquiry.CloseReason.OUT_OF_SCOPE,
        referral="Kiinteistöverotusta hoitaa Verohallinto. Oikaisua voi hakea OmaVerossa, ja "
        "ohjeet löytyvät osoitteesta vero.fi. Business Porvoo palvelee yrityksiä.",
    ),
    Sample(
        "sv",
        "other",
        "Parkeringsbot vid torget",
        "Jag fick en parkeringsbot vid torget fast jag hade parkeringsskiva. Hur bestrider jag "
        "den?",
        sender="private",
        close_reason=Inquiry.CloseReason.OUT_OF_SCOPE,
        referral="Rättelseyrkande på en parkeringsbot lämnas till stadens parkeringsövervakning; "
        "blanketten finns på stadens webbplats. Business Borgå betjänar företag.",
    ),
    Sample(
        "en",
        "other",
        "Rental flat for our family",
        "We are moving to Porvoo in the spring. How can we find a rental flat for a family of "
        "four?",
        sender="private",
        close_reason=Inquiry.CloseReason.OUT_OF_SCOPE,
        referral="Business Porvoo serves companies. The city's housing company lists its rental "
        "flats on its website, and Porvoo Info can advise you on moving to Porvoo.",
    ),
)

SPAM: tuple[Sample, ...] = (
    Sample(
        "en",
        "other",
        "Guaranteed first page on Google!!!",
        "Dear Sir/Madam, our SEO experts will put your website on the first page of Google in 7 "
        "days. Reply now for a 70% discount.",
        sender="spam",
        close_reason=Inquiry.CloseReason.SPAM,
    ),
    Sample(
        "en",
        "other",
        "Invoice 4471 overdue",
        "Your invoice is overdue. Open the document at invoice-portal.example.com/pay today to "
        "avoid a penalty.",
        sender="spam",
        close_reason=Inquiry.CloseReason.SPAM,
    ),
)

_REPLIES = {
    "fi": (
        "Kiitos yhteydenotostanne! Otin asian hoitaakseni ja palaan siihen viimeistään huomenna.",
        "Hei, kiitos viestistä. Selvitän asiaa kollegoiden kanssa ja kerron lisää tällä viikolla.",
        "Kiitos! Luin pyyntönne ja soitan teille vielä tänään, jos se sopii.",
    ),
    "sv": (
        "Tack för ert meddelande! Jag har tagit hand om ärendet och återkommer senast i morgon.",
        "Hej och tack! Jag utreder saken med mina kolleger och hör av mig under veckan.",
        "Tack! Jag har läst er förfrågan och ringer er ännu i dag, om det passar.",
    ),
    "en": (
        "Thank you for contacting Business Porvoo! I am handling your request and will get back "
        "to you by tomorrow.",
        "Hello, and thanks for your message. I am checking this with my colleagues and will "
        "reply in more detail this week.",
        "Thank you! I have read your request and will call you later today, if that suits you.",
    ),
}
_FOLLOW_UPS = {
    "fi": (
        "Kiitos tiedoista! Voisitteko vielä kertoa, mihin mennessä tarvitsette ratkaisun?",
        "Kiitos! Tarvitsisin vielä yhteyshenkilön puhelinnumeron, jotta voimme sopia tapaamisen.",
    ),
    "sv": (
        "Tack för uppgifterna! Kan ni ännu berätta när ni behöver ett besked?",
        "Tack! Jag behöver ännu kontaktpersonens telefonnummer så att vi kan boka ett möte.",
    ),
    "en": (
        "Thank you! Could you also tell me by when you need an answer?",
        "Thanks! I would still need a phone number for the contact person to book a meeting.",
    ),
}
_SECOND_OUTCOMES = {
    "fi": (
        "Lähetin nyt myös puuttuneet liitteet ja yhteyshenkilön suoran numeron.",
        "Kiitos tarkennuksesta. Kävin asian uudelleen läpi ja päivitin ohjeen sähköpostiinne.",
    ),
    "sv": (
        "Nu skickade jag också bilagorna som saknades och kontaktpersonens direktnummer.",
        "Tack för preciseringen. Jag gick igenom saken på nytt och uppdaterade anvisningen.",
    ),
    "en": (
        "I have now also sent the missing attachments and the contact person's direct number.",
        "Thanks for clarifying. I went through the matter again and updated the instructions.",
    ),
}
_REOPEN_REASONS = {
    "fi": (
        "Liitteet puuttuivat viestistä. Voisitteko lähettää ne uudelleen?",
        "Vastauksessa ei kerrottu aikataulusta mitään. Milloin asia etenee?",
    ),
    "sv": (
        "Bilagorna saknades i meddelandet. Kan ni skicka dem igen?",
        "Svaret sade ingenting om tidtabellen. När går ärendet vidare?",
    ),
    "en": (
        "The attachments were missing from your message. Could you send them again?",
        "The answer did not mention the timetable. When will this move forward?",
    ),
}
_WITHDRAW_REASONS = {
    "fi": ("Löysimme ratkaisun itse, kiitos.", "Hanke siirtyy ensi vuoteen.", ""),
    "sv": ("Vi hittade en lösning själva, tack.", "Projektet skjuts upp till nästa år.", ""),
    "en": ("We found a solution ourselves, thank you.", "The project is postponed.", ""),
}
_DUPLICATE_MESSAGES = {
    "fi": "Tämä on sama asia kuin aiempi pyyntönne {reference}; jatkamme sen käsittelyä siellä.",
    "sv": "Detta är samma ärende som er tidigare begäran {reference}; vi fortsätter där.",
    "en": "This is the same matter as your earlier request {reference}; we continue there.",
}
# Internal notes, in the language of the handler who writes them.
_NOTES = {
    "fi": (
        "Soitin asiakkaalle, sovimme tapaamisen ensi viikolle.",
        "Kollegalla oli vastaava tapaus keväällä, kysyin häneltä mallia.",
        "Yrityksellä on toinenkin toimipaikka Porvoossa; sama yhteyshenkilö.",
        "Odotetaan tietoa yhteistyökumppanilta ennen vastausta.",
    ),
    "sv": (
        "Ringde kunden, vi bokade ett möte nästa vecka.",
        "En kollega hade ett liknande fall i våras, jag frågade henne.",
        "Företaget har ett annat verksamhetsställe i Borgå; samma kontaktperson.",
        "Väntar på uppgifter från en samarbetspartner innan vi svarar.",
    ),
}


def _pick(texts: tuple[str, ...], pick: int) -> str:
    return texts[pick % len(texts)]


# -- business IDs ----------------------------------------------------------------------------

_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id(number: int) -> str | None:
    """Return the Y-tunnus of a seven-digit number with its check digit, or None if it has none."""
    digits = f"{number:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, _BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 1:  # no check digit makes this number valid
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def _with_details(rng: random.Random) -> list[Person]:
    """Give the companies distinct valid business IDs and some people a mobile number."""
    taken: set[str] = set()
    people = []
    for person in PEOPLE:
        if person.sender == "company":
            code = None
            while code is None or code in taken:
                code = business_id(rng.randrange(2_000_000, 3_400_000))
            taken.add(code)
            person = replace(person, business_id=code)
        if person.sender != "spam" and rng.random() < 0.5:
            person = replace(person, phone=f"+35840{rng.randrange(10**7):07d}")
        people.append(person)
    return people


# -- planning: pure, from the seed -----------------------------------------------------------


@dataclass(frozen=True)
class Step:
    action: str
    hours: float  # business hours after the previous step (or the submission)
    pick: int  # chooses among texts and handlers, so that nothing random happens while playing


@dataclass(frozen=True)
class Plan:
    submitted: datetime
    sample: Sample
    person: Person
    channel: str
    steps: tuple[Step, ...]
    close_after: timedelta  # after the reopening period: when the auto-close sweep ran
    duplicate: bool = False
    duplicate_of: int | None = None  # position in the plan list of the request it repeats


# By age in days: old requests are mostly done, recent ones are mostly still open.
_SCENARIO_WEIGHTS: tuple[tuple[int, dict[str, int]], ...] = (
    (2, {"queued": 34, "in_progress": 24, "awaiting": 10, "resolved": 24, "withdrawn": 8}),
    (
        14,
        {"queued": 6, "in_progress": 14, "awaiting": 14, "answered": 6, "resolved": 42}
        | {"reopened": 8, "withdrawn": 10},
    ),
    (
        10**6,
        {"queued": 2, "in_progress": 3, "awaiting": 3, "answered": 1, "resolved": 75}
        | {"reopened": 9, "withdrawn": 7},
    ),
)
_CHANNELS = (
    Inquiry.Channel.WEB,
    Inquiry.Channel.EMAIL,
    Inquiry.Channel.PHONE,
    Inquiry.Channel.VISIT,
)
_TAKES = ("claim", "assign")
_FIRST_RESPONSES = ("reply", "ask", "resolve")
# Business hours after the previous step, as (shortest, longest).
_DELAYS: dict[str, tuple[float, float]] = {
    "claim": (0.2, 6),
    "assign": (0.2, 6),
    "transfer": (0.3, 8),
    "note": (0.2, 6),
    "reply": (0.3, 8),
    "ask": (1, 16),
    "answer": (1, 24),
    "ask_again": (0.5, 8),
    "resolve": (2, 40),
    "reopen": (2, 24),
    "resolve_again": (1, 16),
    "withdraw": (1, 30),
    "close": (0.3, 10),
    "duplicate": (0.3, 10),
}


def _submission_time(rng: random.Random, days: int, now: datetime) -> datetime:
    """Mostly office hours on weekdays; some evenings, early mornings and weekends."""
    today = timezone.localtime(now).date()
    first_day = today - timedelta(days=days - 1)
    day = first_day + timedelta(days=rng.randrange(days))
    roll, minutes, back = rng.random(), rng.randrange(8 * 60), rng.uniform(60, 3600)
    if roll < 0.8:
        if day.weekday() > 4:  # a weekend day becomes a weekday of the same week (or the next)
            day -= timedelta(days=day.weekday() - minutes % 5)
            day += timedelta(days=7) if day < first_day else timedelta(0)
        clock = 8 * 60 + minutes
    elif roll < 0.95:
        clock = 16 * 60 + minutes * 6 // 8  # 16:00-22:00
    else:
        clock = 6 * 60 + minutes // 4  # 06:00-08:00, any day
    moment = datetime.combine(day, time(clock // 60, clock % 60, rng.randrange(60)))
    moment = timezone.make_aware(moment)
    return moment if moment < now else now - timedelta(seconds=back)


def _scenario(rng: random.Random, age_days: int) -> str:
    weights = next(table for limit, table in _SCENARIO_WEIGHTS if age_days < limit)
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _maybe(rng: random.Random, chance: float, *actions: str) -> list[str]:
    return list(actions) if rng.random() < chance else []


def _actions(scenario: str, rng: random.Random) -> list[str]:
    """Return the steps of a scenario: what happens to the request, in order."""
    take = "assign" if rng.random() < 0.35 else "claim"
    if scenario == "queued":
        return _maybe(rng, 0.25, "note")
    if scenario == "in_progress":
        return [take, *_maybe(rng, 0.6, "reply"), *_maybe(rng, 0.4, "note")]
    if scenario == "awaiting":
        return [take, *_maybe(rng, 0.3, "reply"), "ask", *_maybe(rng, 0.4, "answer", "ask_again")]
    if scenario == "answered":
        return [take, "ask", "answer", *_maybe(rng, 0.5, "note")]
    if scenario == "withdrawn":
        return rng.choice((["withdraw"], [take, "reply", "withdraw"], [take, "ask", "withdraw"]))
    if scenario == "reopened":
        return [take, *_maybe(rng, 0.4, "reply"), "resolve", "reopen", "resolve_again"]
    return [
        take,
        *_maybe(rng, 0.5, "reply"),
        *_maybe(rng, 0.35, "ask", "answer"),
        *_maybe(rng, 0.3, "note"),
        "resolve",
    ]


def _with_transfer(rng: random.Random, actions: list[str]) -> list[str]:
    """Put the transfer first, or after a first claim; the receiving unit then takes it again."""
    if actions and actions[0] in _TAKES:
        return [actions[0], "transfer", *actions] if rng.random() < 0.5 else ["transfer", *actions]
    return ["transfer", *actions]


def _first_response_hours(rng: random.Random) -> float:
    """Mostly within the 16-hour promise, a quarter of them late."""
    return rng.uniform(0.5, 14) if rng.random() < 0.75 else rng.uniform(17, 48)


def _delay(rng: random.Random, action: str) -> float:
    if action == "resolve" and rng.random() < 0.15:  # the hard cases, past the 80-hour promise
        return rng.uniform(70, 120)
    return rng.uniform(*_DELAYS[action])


def _timed(rng: random.Random, actions: list[str]) -> tuple[Step, ...]:
    hours = [_delay(rng, action) for action in actions]
    first = next((i for i, action in enumerate(actions) if action in _FIRST_RESPONSES), None)
    if first is not None:
        # The steps up to the first response share its time, measured from the submission.
        total, shares = (
            _first_response_hours(rng),
            [rng.uniform(0.2, 1) for _ in hours[: first + 1]],
        )
        hours[: first + 1] = [total * share / sum(shares) for share in shares]
    return tuple(
        Step(action, max(round(h * 60), 1) / 60, rng.randrange(1000))
        for action, h in zip(actions, hours, strict=True)
    )


def _sample_and_actions(rng: random.Random, age_days: int) -> tuple[Sample, list[str]]:
    roll = rng.random()
    if roll < 0.035:
        return rng.choice(SPAM), ["close"]
    if roll < 0.075:
        return rng.choice(OUT_OF_SCOPE), ["close"]
    language = rng.choices(("fi", "sv", "en"), weights=(55, 25, 20))[0]
    sample = rng.choice([sample for sample in SAMPLES if sample.language == language])
    actions = _actions(_scenario(rng, age_days), rng)
    return sample, _with_transfer(rng, actions) if sample.transfer_to else actions


def _plan_one(rng: random.Random, days: int, now: datetime, people: list[Person]) -> Plan:
    submitted = _submission_time(rng, days, now)
    age_days = (timezone.localtime(now).date() - timezone.localtime(submitted).date()).days
    sample, actions = _sample_and_actions(rng, age_days)
    duplicate = not sample.close_reason and rng.random() < 0.05
    senders = [p for p in people if p.language == sample.language and p.sender == sample.sender]
    channel = rng.choices(_CHANNELS, weights=(82, 9, 6, 3))[0]
    return Plan(
        submitted=submitted,
        sample=sample,
        person=rng.choice(senders),
        channel=channel,
        steps=_timed(rng, ["duplicate"] if duplicate else actions),
        close_after=timedelta(minutes=rng.uniform(1, 15)),
        duplicate=duplicate,
    )


def _link_duplicates(plans: list[Plan]) -> list[Plan]:
    """Make each duplicate repeat the latest earlier ordinary request, by the same person."""
    linked: list[Plan] = []
    original: int | None = None
    for plan in plans:
        if plan.duplicate and original is not None:
            source = linked[original]
            plan = replace(plan, sample=source.sample, person=source.person, duplicate_of=original)
        elif plan.duplicate:  # nothing to repeat yet: an ordinary request left in the queue
            plan = replace(plan, steps=(), duplicate=False)
        if not plan.duplicate and not plan.sample.close_reason:
            original = len(linked)
        linked.append(plan)
    return linked


def plan_requests(*, count: int, days: int, seed: int, now: datetime) -> list[Plan]:
    """Return the requests to create, oldest first; the same seed gives the same stories."""
    people = _with_details(random.Random(f"{seed}:people"))
    # One generator per request: a story never shifts because another one changed.
    plans = [_plan_one(random.Random(f"{seed}:{n}"), days, now, people) for n in range(count)]
    return _link_duplicates(sorted(plans, key=lambda plan: plan.submitted))


# -- playing: every step through the services ------------------------------------------------


@dataclass
class Scene:
    """One request being played: its plan, the staff, and its current state."""

    plan: Plan
    crew: Crew
    references: list[str]  # of the requests played before, by position
    inquiry: Inquiry

    def reload(self) -> None:
        self.inquiry = Inquiry.objects.select_related("unit", "contact").get(pk=self.inquiry.pk)

    @property
    def unit(self) -> str:
        return self.inquiry.unit.code

    @property
    def language(self) -> str:
        return self.plan.sample.language

    def handler(self, step: Step) -> User:
        """Return the assignee, or a handler of the request's unit."""
        if self.inquiry.assignee_id in self.crew.by_id:
            return self.crew.by_id[self.inquiry.assignee_id]
        return self.crew.handler(self.unit, step.pick)


def _claim(scene: Scene, step: Step, at: datetime) -> None:
    handler = scene.crew.handler(scene.unit, step.pick)
    services.claim_inquiry(inquiry_id=scene.inquiry.pk, handler=handler, now=at)


def _assign(scene: Scene, step: Step, at: datetime) -> None:
    manager = scene.crew.managers.get(scene.unit)
    if manager is None:  # only urban development has a unit manager in the demo
        return _claim(scene, step, at)
    assignee = scene.crew.handler(scene.unit, step.pick)
    services.assign_inquiry(inquiry_id=scene.inquiry.pk, manager=manager, assignee=assignee, now=at)


def _transfer(scene: Scene, step: Step, at: datetime) -> None:
    sample = scene.plan.sample
    if scene.unit == sample.transfer_to:  # the rules placed it right after all
        return
    services.transfer_inquiry(
        inquiry_id=scene.inquiry.pk,
        actor=scene.handler(step),
        unit=Unit.objects.get(code=sample.transfer_to),
        reason=sample.transfer_reason,
        now=at,
    )


def _note(scene: Scene, step: Step, at: datetime) -> None:
    handler = scene.handler(step)
    body = _pick(_NOTES.get(handler.language, _NOTES["fi"]), step.pick)
    services.add_internal_note(inquiry_id=scene.inquiry.pk, handler=handler, body=body, now=at)


def _reply(scene: Scene, step: Step, at: datetime) -> None:
    body = _pick(_REPLIES[scene.language], step.pick)
    services.reply_to_inquiry(
        inquiry_id=scene.inquiry.pk, handler=scene.handler(step), body=body, now=at
    )


def _ask(scene: Scene, step: Step, at: datetime) -> None:
    question = scene.plan.sample.question
    if step.action == "ask_again" or not question:
        question = _pick(_FOLLOW_UPS[scene.language], step.pick)
    services.ask_customer(
        inquiry_id=scene.inquiry.pk, handler=scene.handler(step), question=question, now=at
    )


def _resolve(scene: Scene, step: Step, at: datetime) -> None:
    outcome = scene.plan.sample.outcome
    if step.action == "resolve_again":
        outcome = _pick(_SECOND_OUTCOMES[scene.language], step.pick)
    services.resolve_inquiry(
        inquiry_id=scene.inquiry.pk, handler=scene.handler(step), outcome=outcome, now=at
    )


def _answer(scene: Scene, step: Step, at: datetime) -> None:
    services.add_customer_message(
        inquiry_id=scene.inquiry.pk,
        contact=scene.inquiry.contact,
        body=scene.plan.sample.answer or _pick(_REPLIES[scene.language], step.pick),
        now=at,
    )


def _reopen(scene: Scene, step: Step, at: datetime) -> None:
    reason = _pick(_REOPEN_REASONS[scene.language], step.pick)
    services.reopen_inquiry(
        inquiry_id=scene.inquiry.pk, contact=scene.inquiry.contact, reason=reason, now=at
    )


def _withdraw(scene: Scene, step: Step, at: datetime) -> None:
    reason = _pick(_WITHDRAW_REASONS[scene.language], step.pick)
    services.withdraw_inquiry(
        inquiry_id=scene.inquiry.pk, contact=scene.inquiry.contact, reason=reason, now=at
    )


def _close(scene: Scene, step: Step, at: datetime) -> None:
    sample = scene.plan.sample
    services.close_inquiry_unactioned(
        inquiry_id=scene.inquiry.pk,
        handler=scene.handler(step),
        reason=sample.close_reason,
        message=sample.referral,
        now=at,
    )


def _close_duplicate(scene: Scene, step: Step, at: datetime) -> None:
    assert scene.plan.duplicate_of is not None
    reference = scene.references[scene.plan.duplicate_of]
    services.close_inquiry_unactioned(
        inquiry_id=scene.inquiry.pk,
        handler=scene.handler(step),
        reason=Inquiry.CloseReason.DUPLICATE,
        duplicate_of=reference,
        message=_DUPLICATE_MESSAGES[scene.language].format(reference=reference),
        now=at,
    )


_ACTIONS: dict[str, Callable[[Scene, Step, datetime], None]] = {
    "claim": _claim,
    "assign": _assign,
    "transfer": _transfer,
    "note": _note,
    "reply": _reply,
    "ask": _ask,
    "ask_again": _ask,
    "answer": _answer,
    "resolve": _resolve,
    "resolve_again": _resolve,
    "reopen": _reopen,
    "withdraw": _withdraw,
    "close": _close,
    "duplicate": _close_duplicate,
}


def _submission(plan: Plan, types: dict[str, RequestType]) -> services.Submission:
    sample, person = plan.sample, plan.person
    return services.Submission(
        request_type=types[sample.request_type],
        subject=sample.subject,
        description=sample.description,
        contact_name=person.name,
        email=person.email,
        company_name=person.company,
        business_id=person.business_id,
        phone=person.phone,
        language=sample.language,
        channel=plan.channel,
    )


def _pace(plan: Plan, now: datetime) -> float:
    """Return the factor that fits a recent request's story into the business time it has had."""
    planned = sum(step.hours for step in plan.steps)
    available = DEFAULT_CALENDAR.between(plan.submitted, now).total_seconds() / 3600
    return 1.0 if planned <= 0.9 * available else 0.9 * available / planned


def _close_when_due(scene: Scene, now: datetime) -> None:
    """Close a resolved request as the periodic sweep did, once its reopening period ended."""
    deadline = scene.inquiry.reopen_deadline()
    if scene.inquiry.status != Inquiry.Status.RESOLVED or deadline is None:
        return
    at = deadline + scene.plan.close_after
    if at <= now:
        services.close_resolved_inquiry(inquiry_id=scene.inquiry.pk, now=at)


def _play(scene: Scene, now: datetime) -> None:
    """Take the planned steps, each at its own moment; what falls after now has not happened."""
    scene.reload()
    at, pace = scene.plan.submitted, _pace(scene.plan, now)
    for step in scene.plan.steps:
        at = DEFAULT_CALENDAR.add_hours(at, step.hours * pace)
        if at > now:
            break
        _ACTIONS[step.action](scene, step, at)
        scene.reload()
    _close_when_due(scene, now)


def play_all(plans: list[Plan], crew: Crew, now: datetime) -> None:
    """Submit the planned requests, oldest first, and play each one's story."""
    types = {request_type.code: request_type for request_type in RequestType.objects.all()}
    references: list[str] = []
    for plan in plans:
        submitted = services.submit_inquiry(submission=_submission(plan, types), now=plan.submitted)
        _play(Scene(plan, crew, references, submitted.inquiry), now)
        references.append(submitted.inquiry.reference)


# -- the command's entry point ---------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    logins: list[Login]
    created: int  # 0: demo data was already present
    statuses: dict[str, int]


def delete_demo_data() -> None:
    """Delete every request (with its log, messages, decisions), requester and company."""
    Inquiry.objects.all().delete()
    Contact.objects.all().delete()
    Company.objects.all().delete()
    # References start again from 000001: none of the old ones exists any more.
    ReferenceCounter.objects.all().delete()


def status_counts() -> dict[str, int]:
    rows = Inquiry.objects.values_list("status").annotate(n=Count("pk"))
    counts = dict(rows)
    return {status: counts.get(status, 0) for status in Inquiry.Status.values}


def seed_demo(
    *, count: int, days: int, seed: int, reset: bool = False, now: datetime | None = None
) -> SeedResult:
    """Create the demo staff and, unless there are requests already, the demo requests."""
    now = now or timezone.now()
    with transaction.atomic():  # one commit: much faster on SQLite, and all or nothing
        if reset:
            delete_demo_data()
        logins = ensure_staff(demo_password())
        if Inquiry.objects.exists():
            return SeedResult(logins, 0, status_counts())
        plans = plan_requests(count=count, days=days, seed=seed, now=now)
        play_all(plans, Crew.load(), now)
    return SeedResult(logins, len(plans), status_counts())


def format_logins(logins: list[Login]) -> str:
    """Return the log-ins as a plain-text table."""
    header = Login("username", "name", "role", "unit", "password")
    rows = [header, *logins]
    widths = [max(len(getattr(row, field)) for row in rows) for field in _LOGIN_COLUMNS]
    lines = [
        "  ".join(getattr(row, f).ljust(w) for f, w in zip(_LOGIN_COLUMNS, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


_LOGIN_COLUMNS = ("username", "name", "role", "unit", "password")
