"""Words the benchmark seeder builds its requests, people and messages from (fi, sv, en).

Varied enough that a search behaves as it would on real data: a word matches some requests,
a company name a few, a reference or a business ID exactly one.
"""

from __future__ import annotations

# Subjects by request type code and language; "{place}" and "{n}" are filled in.
SUBJECTS: dict[str, dict[str, tuple[str, ...]]] = {
    "business-plot": {
        "fi": (
            "Tonttihaku uudelle tuotantohallille",
            "Vapaita yritystontteja {place}",
            "Tontin varaus {n} m² varastolle",
            "Kysymys tonttien hinnoista {place}",
        ),
        "sv": ("Tomt för ny produktionshall", "Lediga företagstomter i {place}"),
        "en": ("Plot for a new production hall", "Available business plots in {place}"),
    },
    "zoning": {
        "fi": ("Asemakaavan muutos {place}", "Kaavoitustilanne kiinteistöllämme"),
        "sv": ("Ändring av detaljplan i {place}",),
        "en": ("Zoning change in {place}",),
    },
    "building-permit": {
        "fi": ("Rakennuslupa laajennukselle", "Toimenpidelupa mainostaululle {place}"),
        "sv": ("Bygglov för tillbyggnad",),
        "en": ("Building permit for an extension",),
    },
    "environmental-permit": {
        "fi": ("Ympäristölupa maalaamolle", "Meluilmoitus työmaalle {place}"),
        "sv": ("Miljötillstånd för verkstad",),
        "en": ("Environmental permit for a workshop",),
    },
    "recruitment": {
        "fi": (
            "Rekrytointi: {n} varastotyöntekijää syksyksi",
            "Haemme asentajia {place}",
            "Kesätyöntekijöiden rekrytointi",
        ),
        "sv": ("Rekrytering av {n} montörer", "Vi söker sommarjobbare"),
        "en": ("Recruiting {n} warehouse workers", "Hiring summer workers"),
    },
    "wage-subsidy": {
        "fi": ("Palkkatuki uudelle työntekijälle", "Palkkatuen hakeminen"),
        "sv": ("Lönesubvention för en ny anställd",),
        "en": ("Wage subsidy for a new employee",),
    },
    "training": {
        "fi": ("Oppisopimuskoulutus", "Täsmäkoulutus henkilöstölle"),
        "sv": ("Läroavtal för en ny anställd",),
        "en": ("Apprenticeship training",),
    },
    "business-start": {
        "fi": ("Yrityksen perustaminen {place}", "Starttiraha ja liiketoimintasuunnitelma"),
        "sv": ("Starta företag i {place}",),
        "en": ("Starting a company in Porvoo", "Start-up grant and business plan"),
    },
    "growth-funding": {
        "fi": ("Kasvurahoitus vientiin", "Rahoitus investointiin {n}000 €"),
        "sv": ("Tillväxtfinansiering för export",),
        "en": ("Growth funding for exports",),
    },
    "premises": {
        "fi": ("Toimitila {n} m² {place}", "Vapaita liiketiloja keskustassa"),
        "sv": ("Lediga lokaler i {place}",),
        "en": ("Premises of {n} m² in {place}",),
    },
    "other": {
        "fi": ("Yleinen kysymys yrityspalveluista", "Kenen puoleen käännyn?"),
        "sv": ("Allmän fråga om företagstjänster",),
        "en": ("General question about business services",),
    },
}
PLACES = (
    "Kuninkaanportti",
    "Tarmola",
    "Kilpilahti",
    "Boxby",
    "Keskusta",
    "Kerkkoo",
    "Ölstens",
    "Hamari",
)
DESCRIPTIONS = {
    "fi": (
        "Hei, etsimme ratkaisua yrityksemme tarpeeseen ja toivomme yhteydenottoa. "
        "Yrityksemme toimii Porvoossa ja kasvaa; kertokaa, mitä vaihtoehtoja on ja miten edetä."
    ),
    "sv": (
        "Hej, vi söker en lösning för vårt företags behov och hoppas att ni kontaktar oss. "
        "Företaget verkar i Borgå och växer; berätta vilka alternativ som finns."
    ),
    "en": (
        "Hello, we are looking for a solution for our company's need and hope to hear from "
        "you. We operate in Porvoo and are growing; please tell us the options and next steps."
    ),
}
REPLIES = {
    "fi": "Kiitos viestistä. Selvitämme asiaa ja palaamme pian; tässä ensimmäiset tiedot.",
    "sv": "Tack för ert meddelande. Vi utreder saken och återkommer snart.",
    "en": "Thank you for your message. We are looking into it and will be back soon.",
}
QUESTIONS = {
    "fi": "Voisitteko kertoa tarkemmin aikataulusta ja tarvittavasta pinta-alasta?",
    "sv": "Kan ni berätta mer om tidtabellen och den yta ni behöver?",
    "en": "Could you tell us more about the timetable and the area you need?",
}
ANSWERS = {
    "fi": "Aikataulu on syksy, ja tarvitsemme noin 800 m².",
    "sv": "Tidtabellen är hösten och vi behöver cirka 800 m².",
    "en": "The timetable is the autumn and we need about 800 m².",
}
RESOLUTIONS = {
    "fi": "Asia on nyt hoidettu: liitteenä ohjeet ja yhteyshenkilön tiedot. Onnea hankkeeseen!",
    "sv": "Ärendet är nu klart: anvisningar och kontaktperson finns i bilagan. Lycka till!",
    "en": "This is now done: the instructions and a contact person are attached. Good luck!",
}
NOTES = (
    "Soitettu asiakkaalle, odottaa kaavoituksen kantaa.",
    "Tarkistettu tonttivaranto, kaksi vaihtoehtoa.",
    "Checked with Posintra: they know the company already.",
    "Kollega hoitaa lomani ajan.",
)
CLOSURES = {
    "fi": "Tämä asia kuuluu toiselle viranomaiselle: ottakaa yhteyttä ELY-keskukseen.",
    "sv": "Ärendet hör till en annan myndighet: kontakta NTM-centralen.",
    "en": "This belongs to another authority: please contact the ELY Centre.",
}
FIRST_NAMES = (
    "Matti",
    "Anna",
    "Mikael",
    "Sofia",
    "Juha",
    "Emma",
    "Erik",
    "Aino",
    "Johan",
    "Helmi",
    "Pekka",
    "Linnea",
)
LAST_NAMES = (
    "Virtanen",
    "Lindqvist",
    "Korhonen",
    "Nyström",
    "Mäkinen",
    "Holmberg",
    "Nieminen",
    "Andersson",
    "Laine",
    "Grönroos",
    "Heikkinen",
    "Westerlund",
)
COMPANY_WORDS = (
    "Porvoon",
    "Borgå",
    "Itä-Uudenmaan",
    "Kilpilahden",
    "Saariston",
    "Nordic",
    "Vanhan kaupungin",
    "Tarmolan",
)
COMPANY_TRADES = (
    "Konepaja",
    "Kuljetus",
    "Rakennus",
    "Leipomo",
    "Puutarha",
    "Sähkö",
    "Logistiikka",
    "Kahvila",
    "Tilitoimisto",
    "Metalli",
    "Bygg",
    "Design",
)
COMPANY_FORMS = ("Oy", "Oy", "Oy", "Ab", "Ky", "Tmi")
