"""The service catalogue a fresh install starts with: units, request types, routing rules, SLA.

Plain data, loaded by a data migration; codes are stable API values. Keywords use the syntax of
routing.engine (one pattern per line; "*" also matches inside compound words, "=" an exact word).
The keyword rules are ordered so that overlaps resolve sensibly: specific employment words
(hire, wage subsidy, layoffs, work permit) first, so that "funding to hire" or "financial support
for employing" stays with employment; then zoning, permits and (broadest) plots; then Posintra;
last the general words (staff, build, business advice) that only decide when nothing specific did.
"""

DEFAULT_POLICY = {"name": "Default", "first_response_hours": 16, "resolution_hours": 80}

UNITS: list[dict] = [
    {
        "code": "urban-development",
        "name_fi": "Kaupunkikehitys",
        "name_sv": "Stadsutveckling",
        "name_en": "Urban development",
        "description_fi": (
            "Myy ja vuokraa yritystontteja, laatii asemakaavat ja käsittelee rakennus- ja "
            "ympäristöluvat."
        ),
        "description_sv": (
            "Säljer och arrenderar ut företagstomter, gör upp detaljplaner och behandlar bygglov "
            "och miljötillstånd."
        ),
        "description_en": (
            "Sells and leases business plots, prepares detailed plans and handles building and "
            "environmental permits."
        ),
    },
    {
        "code": "employment-services",
        "name_fi": "Työllisyyspalvelut",
        "name_sv": "Sysselsättningstjänster",
        "name_en": "Employment services",
        "description_fi": (
            "Auttaa yrityksiä rekrytoinneissa, palkkatuessa, oppisopimuksissa, henkilöstön "
            "koulutuksessa ja lomautusten kaltaisissa muutostilanteissa."
        ),
        "description_sv": (
            "Hjälper företag med rekrytering, lönesubvention, läroavtal, utbildning av personalen "
            "och omställningar som permitteringar."
        ),
        "description_en": (
            "Helps companies recruit, use wage subsidy and apprenticeships, train their staff and "
            "handle changes such as layoffs."
        ),
    },
    {
        "code": "posintra",
        "name_fi": "Posintra",
        "name_sv": "Posintra",
        "name_en": "Posintra",
        "description_fi": (
            "Kaupungin elinkeinoyhtiö neuvoo yrityksen perustamisessa, kasvussa, rahoituksessa, "
            "kansainvälistymisessä, toimitiloissa ja omistajanvaihdoksissa."
        ),
        "description_sv": (
            "Stadens näringslivsbolag ger råd om att starta företag, växa, finansiering, "
            "internationalisering, lokaler och ägarbyten."
        ),
        "description_en": (
            "The city's business development company advises on starting a business, growth, "
            "funding, going international, premises and change of ownership."
        ),
    },
    {
        "code": "business-desk",
        "name_fi": "Business Porvoo -palvelupiste",
        "name_sv": "Business Borgå servicepunkt",
        "name_en": "Business Porvoo service desk",
        "description_fi": (
            "Ottaa vastaan yritysten yhteydenotot ja ohjaa ne oikealle taholle, kun asian "
            "paikka ei ole selvä."
        ),
        "description_sv": (
            "Tar emot företagens kontakter och för dem vidare till rätt ställe när det inte är "
            "klart vart ärendet hör."
        ),
        "description_en": (
            "Receives contacts from companies and passes them to the right people when it is not "
            "clear where a matter belongs."
        ),
    },
]

REQUEST_TYPES: list[dict] = [
    {
        "code": "business-plot",
        "name_fi": "Yritystontti",
        "name_sv": "Företagstomt",
        "name_en": "Business plot",
        "description_fi": "Haluatte ostaa tai vuokrata tontin yrityksenne rakennukselle.",
        "description_sv": "Ni vill köpa eller arrendera en tomt för företagets byggnad.",
        "description_en": "You want to buy or lease a plot for your company's building.",
        "default_unit": "urban-development",
        "order": 10,
    },
    {
        "code": "zoning",
        "name_fi": "Kaavoitus",
        "name_sv": "Planläggning",
        "name_en": "Zoning",
        "description_fi": (
            "Mitä alueelle tai tontille saa rakentaa ja mihin sitä saa käyttää, tai asemakaavan "
            "muuttaminen."
        ),
        "description_sv": (
            "Vad som får byggas på ett område eller en tomt och hur den får användas, eller en "
            "ändring av detaljplanen."
        ),
        "description_en": (
            "What may be built on an area or a plot and what it may be used for, or changing "
            "the detailed plan."
        ),
        "default_unit": "urban-development",
        "order": 20,
    },
    {
        "code": "building-permit",
        "name_fi": "Rakennuslupa",
        "name_sv": "Bygglov",
        "name_en": "Building permit",
        "description_fi": (
            "Lupa uudelle rakennukselle, laajennukselle, korjaukselle tai käyttötarkoituksen "
            "muutokselle."
        ),
        "description_sv": (
            "Lov för en ny byggnad, en tillbyggnad, en ombyggnad eller en ändrad användning."
        ),
        "description_en": (
            "A permit for a new building, an extension, a renovation or a change of use."
        ),
        "default_unit": "urban-development",
        "order": 30,
    },
    {
        "code": "environmental-permit",
        "name_fi": "Ympäristölupa",
        "name_sv": "Miljötillstånd",
        "name_en": "Environmental permit",
        "description_fi": (
            "Lupa tai ilmoitus toiminnalle, josta voi tulla melua, päästöjä tai jätevesiä, "
            "esimerkiksi korjaamo tai tehdas."
        ),
        "description_sv": (
            "Tillstånd eller anmälan för verksamhet som kan orsaka buller, utsläpp eller "
            "avloppsvatten, till exempel en verkstad eller en fabrik."
        ),
        "description_en": (
            "A permit or notification for work that may cause noise, emissions or waste water, "
            "such as a repair shop or a factory."
        ),
        "default_unit": "urban-development",
        "order": 40,
    },
    {
        "code": "recruitment",
        "name_fi": "Rekrytointi",
        "name_sv": "Rekrytering",
        "name_en": "Recruitment",
        "description_fi": (
            "Apua uusien työntekijöiden löytämiseen, myös kesätyöntekijöiden ja harjoittelijoiden."
        ),
        "description_sv": "Hjälp att hitta nya anställda, också sommarjobbare och praktikanter.",
        "description_en": "Help finding new employees, including summer workers and trainees.",
        "default_unit": "employment-services",
        "order": 50,
    },
    {
        "code": "wage-subsidy",
        "name_fi": "Palkkatuki",
        "name_sv": "Lönesubvention",
        "name_en": "Wage subsidy",
        "description_fi": (
            "Tukea palkkakuluihin, kun palkkaatte työttömän tai henkilön, joka tarvitsee tukea "
            "työllistymiseen."
        ),
        "description_sv": (
            "Stöd för lönekostnaderna när ni anställer en arbetslös eller en person som behöver "
            "stöd för att få arbete."
        ),
        "description_en": (
            "Support for wage costs when you hire someone unemployed or someone who needs "
            "support to find work."
        ),
        "default_unit": "employment-services",
        "order": 60,
    },
    {
        "code": "training",
        "name_fi": "Koulutus ja oppisopimus",
        "name_sv": "Utbildning och läroavtal",
        "name_en": "Training and apprenticeships",
        "description_fi": (
            "Henkilöstönne koulutus ja osaamisen kehittäminen, esimerkiksi oppisopimuksella."
        ),
        "description_sv": (
            "Utbildning av er personal och kompetensutveckling, till exempel med läroavtal."
        ),
        "description_en": "Training and upskilling your staff, for example with apprenticeships.",
        "default_unit": "employment-services",
        "order": 70,
    },
    {
        "code": "business-start",
        "name_fi": "Yrityksen perustaminen",
        "name_sv": "Starta företag",
        "name_en": "Starting a business",
        "description_fi": (
            "Neuvontaa yrityksen perustamiseen: yritysmuoto, liiketoimintasuunnitelma ja "
            "starttiraha."
        ),
        "description_sv": (
            "Rådgivning när du startar företag: företagsform, affärsplan och startpeng."
        ),
        "description_en": (
            "Advice on starting a business: the form of business, the business plan and the "
            "start-up grant."
        ),
        "default_unit": "posintra",
        "order": 80,
    },
    {
        "code": "growth-funding",
        "name_fi": "Kasvu ja rahoitus",
        "name_sv": "Tillväxt och finansiering",
        "name_en": "Growth and funding",
        "description_fi": (
            "Apua yrityksen kasvuun, rahoitukseen, vientiin ja omistajanvaihdokseen."
        ),
        "description_sv": "Hjälp med tillväxt, finansiering, export och ägarbyte.",
        "description_en": (
            "Help with growing your company, funding, exporting and change of ownership."
        ),
        "default_unit": "posintra",
        "order": 90,
    },
    {
        "code": "premises",
        "name_fi": "Toimitilat",
        "name_sv": "Lokaler",
        "name_en": "Business premises",
        "description_fi": "Apua toimisto-, liike- tai tuotantotilan löytämiseen Porvoosta.",
        "description_sv": "Hjälp att hitta en kontors-, affärs- eller produktionslokal i Borgå.",
        "description_en": "Help finding an office, shop or production space in Porvoo.",
        "default_unit": "posintra",
        "order": 100,
    },
    {
        "code": "other",
        "name_fi": "Muu / en osaa sanoa",
        "name_sv": "Annat / vet inte",
        "name_en": "Other / not sure",
        "description_fi": (
            "Valitse tämä, jos et tiedä, mihin asiasi kuuluu. Kerro se omin sanoin, niin "
            "ohjaamme sen oikealle taholle."
        ),
        "description_sv": (
            "Välj detta om du inte vet vart ärendet hör. Beskriv det med egna ord, så skickar "
            "vi det till rätt ställe."
        ),
        "description_en": (
            "Choose this if you are not sure where your matter belongs. Describe it in your own "
            "words and we will pass it to the right people."
        ),
        "default_unit": "business-desk",
        "order": 110,
    },
]

# Keyword rules, in the order they are tried. Each keyword text is what the admin sees.
_KEYWORD_RULES: list[tuple[str, str, str]] = [
    (
        "Recruiting and hiring",
        "employment-services",
        """
        # fi
        *rekry
        palkata, palkkaa, palkattav
        *työpaikkailmoit, avoi työpaik
        *työnhakij, *työvoima
        # sv
        *rekryt
        =anställa, anställer, *nyanställ
        *arbetskraft, *platsannons, *jobbannons
        lediga jobb, lediga tjänst
        *arbetssökande
        # en
        recruit, hire, hiring
        job =ad, job =ads, job advert, job posting, vacanc
        jobseeker, job seeker
        new employ, new staff, new worker
        labour shortage, labor shortage
        """,
    ),
    (
        "Wage subsidy and hiring the unemployed",
        "employment-services",
        """
        # fi
        *palkkatu, *työllistämistu
        *työttöm, =työtön, *työkokeil
        # sv
        *lönesubv, *lönestöd, *anställningsstöd
        *arbetslös, *arbetsprövning
        # en
        wage subsid, salary subsid, pay subsid, hiring subsid, employment subsid
        unemploy
        """,
    ),
    (
        "Apprentices, trainees and summer workers",
        "employment-services",
        """
        # fi
        *oppisopimu, *harjoittel, =tet
        *kesätyö, *kesäsetel
        # sv
        *läroavtal, *lärling
        *praktikant, *praktikplats
        *sommarjobb, *sommaranställ, *sommararbet, *feriejobb, *feriearbet
        # en
        apprentice, trainee, =intern, =interns, internship, work placement
        summer job, summer work, summer staff, summer employ
        seasonal work, seasonal staff, seasonal employ
        """,
    ),
    (
        "Layoffs, redundancies and work permits",
        "employment-services",
        """
        # fi
        *lomaut, *muutosneuvottel, yt neuvottel, *muutosturva
        *työlupa, *työluva, *oleskelulupa, *oleskeluluva
        # sv
        *permitter, *samarbetsförhandl, *omställningsförhandl
        *omställningsskydd, *arbetstillstånd, *uppehållstillstånd
        # en
        lay off, laid off, layoff, furlough, redundan, change negotiation
        work permit, residence permit
        """,
    ),
    (
        "Zoning and land use",
        "urban-development",
        """
        # fi
        *asemakaav, *yleiskaav, *kaavamuut, *kaavoit
        *maankäyt, käyttötarkoitu muut
        *poikkeamispäät, *suunnittelutarv
        # sv
        *detaljplan, *generalplan, *planändring, *planläggning
        *markanvändning, *användningsändamål
        # en
        zoning, zoned, rezon
        detailed plan, local plan, master plan, town plan, city plan
        land use, change of use
        """,
    ),
    (
        "Building permits",
        "urban-development",
        """
        # fi: rakennuslupa, rakennusluvan, rakennuslupahakemus
        *rakennuslu, *rakentamislu, *toimenpidelu, *purkulu, *poikkeamislu, *maisematyölu
        *rakennusvalvon, *lupapiste
        # sv
        *bygglov, *rivningslov, *åtgärdslov, *byggnadslov, *byggnadstillsyn
        # en
        building permit, construction permit, demolition permit
        planning permission, planning permit, permi to build
        building control, building inspect
        """,
    ),
    (
        "Environmental permits",
        "urban-development",
        """
        # fi
        *ympäristölu, *ympäristöilmoit, *ympäristönsuojel, *meluilmoit
        # sv
        *miljötillst, *miljöanmäl, *miljöskydd, *bulleranmäl
        # en ("environment" also matches environmental)
        environment permit, environment licen, environment notific, environment protect
        noise notific
        """,
    ),
    (
        "Business plots",
        "urban-development",
        """
        # tontti, tontin, tonttia, teollisuustontti; tomt, tomten, industritomter
        *tont, *tomt
        =maa alue, *maanvuokr
        *markområd, *markarrende, arrend mark
        plot, industrial land, business land, buy land, lease land
        """,
    ),
    (
        "Starting a business",
        "posintra",
        """
        # fi
        *toiminim, *starttirah, *liiketoimintasuunnit, *liiketoimintaide, *liikeide
        yrityksen perust, perusta yrity, perusta oma, osakeyhtiö perust, perusta osakeyhtiö
        yrittäjäksi, *uusyrit, *kevytyrit, aloittav yrit, yritysmuo
        # sv
        eget företag, starta företag, starta ett företag, bli företagare
        grunda företag, grunda bolag
        grunda ett företag, grunda ett bolag, grunda ett aktiebolag
        *företagsstart, *nyföretag, *startpeng, *affärsplan, *affärsidé
        enskild firma, enskild näringsidkare, företagsform, bolagsform
        # en
        start a business, start a company, start my own, start our own, start up, startup
        set up a business, set up a company, set up my own, set up our own
        sole trader, sole proprietor, business plan, business idea
        company form, form of business, register a business, register a company
        become an entrepreneur, becoming an entrepreneur
        """,
    ),
    (
        "Funding, loans and investors",
        "posintra",
        """
        # fi
        *rahoitu, rahoitta, *laina, *sijoittaj, *pääoma
        *yritystuk, *yritystuen, *yritystuet, *kehittämisavust, investoi, finnvera
        # sv
        *finansier, *lån, *investerare, *investering, *riskkapital
        *företagsstöd, *utvecklingsstöd
        # en
        funding, =fund, =funds, =funded, crowdfund, financing, =finance
        financial support, financial aid, financial help
        loan, investor, investment, venture capital, =grant, =grants, business finland
        """,
    ),
    (
        "Growth, export and internationalisation",
        "posintra",
        """
        # fi
        kasvu, kasva, *kasvuyrit
        vient, vienn, *vientikaup, *kansainvälisty, kansainväl markkin
        uus markkin, uud markkin, uut markkin
        laajenta toimin, toiminnan laajent, *skaalau
        # sv
        =växa, växer, växande, *tillväxt
        *export, internationalis, nya marknad, utländsk marknad, *utlandsmarknad
        expandera, skala upp
        # en ("export" above also covers English)
        growth, =grow, expand, expansion, scal up
        internationali, international market, foreign market, new market, overseas
        """,
    ),
    (
        "Business premises",
        "posintra",
        """
        # fi
        *toimitil, *liiketil, *toimistotil, *tuotantotil, *varastotil, *myymälätil
        *vuokratil, tila vuokr
        # sv
        lokaler, =lokal, =lokalen
        *affärslokal, *kontorslokal, *butikslokal, *produktionslokal, *verksamhetslokal
        *lagerlokal, *industrilokal, *hyreslokal, *kontorsutrymme, *lagerutrymme
        # en
        premises, office space, commercial space, retail space, production space
        warehouse space, workshop space, industrial space, shop space
        space for rent, space to rent, office for rent, office to rent, rent an office
        coworking, co working
        """,
    ),
    (
        "Change of ownership",
        "posintra",
        """
        # fi
        *sukupolvenvaihdo, *omistajanvaihdo, *omistajavaihdo, *yrityskaup, *jatkaja
        =myydä yrity, myymme yrity, yrityksen myyn, osta yrity
        # sv
        *ägarbyte, *ägarskifte, *generationsväxl, *generationsskift
        *företagsöverlåt, *företagsköp, *efterträd
        sälj företag, sälj bolag, sälj mitt, köp ett företag
        # en
        change of ownership, ownership change, transfer of ownership, ownership transfer
        business transfer, succession, successor
        sell my business, sell my company, sell the business, sell the company
        selling my business, selling my company, selling the business, selling the company
        buy a business, buy a company
        """,
    ),
    (
        "Staff and training (general words)",
        "employment-services",
        """
        # fi
        *työntekij, *henkilöst, *henkilökun, *koulutu, koulutta, *työpaik, *osaaj
        # sv
        anställd, *medarbetar, personalen, *personalutb, *personalbrist
        *utbildning, *kompetensutveckl, *arbetstagar
        # en
        staff, employ, personnel, worker, training, upskill, reskill
        labour, =labor, laborer, =job, =jobs
        """,
    ),
    (
        "Construction (general words)",
        "urban-development",
        """
        # fi
        rakentaa, rakentami, rakentamaan, rakennamme
        *laajennu, *lisärakenn, *uudisrakenn, *korjausrakenn
        # sv
        =bygga, bygger, *tillbyggnad, *nybyggnad, *ombyggnad, *byggnation, *byggprojekt
        # en
        =construct, constructing, construction, renovat, demoli
        new build, build a new, build an, extension to
        """,
    ),
    (
        "Business advice (general words)",
        "posintra",
        """
        # fi
        *yritysneuvo, *sparra, liiketoimin kehit, *mentor
        # sv
        *företagsrådgiv, *affärsrådgiv, *affärsutveckl
        # en
        business advi, business coach, business counsel, business development, coaching
        """,
    ),
]


def _keyword_text(block: str) -> str:
    """Turn a block above into the text the admin edits: one pattern (or comment) per line."""
    lines = []
    for line in block.strip().splitlines():
        line = line.strip()
        if line.startswith("#"):
            lines.append(line)
        else:
            lines.extend(pattern.strip() for pattern in line.split(",") if pattern.strip())
    return "\n".join(lines)


_TYPED_RULES = [
    {
        "name": f"{request_type['name_en']} requests",
        "unit": request_type["default_unit"],
        "request_type": request_type["code"],
        "keywords": "",
    }
    for request_type in REQUEST_TYPES
    if request_type["code"] != "other"
]

RULES: list[dict] = [
    {"order": 10 * position, "priority": None, **rule}
    for position, rule in enumerate(
        _TYPED_RULES
        + [
            {"name": name, "unit": unit, "request_type": None, "keywords": _keyword_text(block)}
            for name, unit, block in _KEYWORD_RULES
        ],
        start=1,
    )
]
