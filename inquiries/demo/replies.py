"""What the demo staff and requesters write along the way: canned replies, notes, reasons."""

REPLIES = {
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
FOLLOW_UPS = {
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
SECOND_OUTCOMES = {
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
REOPEN_REASONS = {
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
WITHDRAW_REASONS = {
    "fi": ("Löysimme ratkaisun itse, kiitos.", "Hanke siirtyy ensi vuoteen.", ""),
    "sv": ("Vi hittade en lösning själva, tack.", "Projektet skjuts upp till nästa år.", ""),
    "en": ("We found a solution ourselves, thank you.", "The project is postponed.", ""),
}
DUPLICATE_MESSAGES = {
    "fi": "Tämä on sama asia kuin aiempi pyyntönne {reference}; jatkamme sen käsittelyä siellä.",
    "sv": "Detta är samma ärende som er tidigare begäran {reference}; vi fortsätter där.",
    "en": "This is the same matter as your earlier request {reference}; we continue there.",
}
# Internal notes, in the language of the handler who writes them.
NOTES = {
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
