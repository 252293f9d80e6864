"""Who writes, and what: the demo requesters and their requests. Pure data."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Inquiry


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
