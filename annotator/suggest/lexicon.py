"""Word lists the rule, gazetteer and claim suggesters share.

Kept apart from the code that uses them so a change of wording is one place, and so the rules'
version (which invalidates cached suggestions) can be derived from what is listed here.
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- function words -----------------------------------------------------------------------

#: Lowercase common words: never a gazetteer term on their own, never a counted noun, never
#: a name. Short on purpose: a word missing here only costs a noisy suggestion.
STOP_WORDS: Final = _words(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me might more most must my myself no nor not now
    of off on once only or other our ours ourselves out over own same she should so some
    such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves said says say told according
    new one two three first last next week year day time people man woman men women
    government state city news report reports today yesterday tomorrow may june march
    """
)

#: Capitalised words that start sentences and clauses but never start a name.
CAPITALISED_FUNCTION_WORDS: Final = _words(
    """
    The A An As But And Or In On At Since After Before While When Where If It Its He She
    They We I You This That These Those There Here Further Also However Meanwhile Yet So
    Then Now Earlier Later Still Despite Although Though Because For From To Of With Without
    By Under Over During Until Upon Into Allegedly Reportedly Apparently According Some Many
    Most Several Both Each Every Other Another His Her Their Our Your My No Not Why How What
    Who Which Whose Asked Last Next This Only Even Just Please Join Share Read Follow Subscribe
    """
)

# -- dates -----------------------------------------------------------------------------------

WEEKDAYS: Final = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS: Final = _words(
    "January February March April May June July August September October November December"
)
#: Month names that are also ordinary words ("may", "march"): a month only beside a number.
AMBIGUOUS_MONTHS: Final = _words("May March")
TIME_UNITS: Final = _words(
    """
    second seconds minute minutes hour hours day days week weeks weekend weekends fortnight
    fortnights month months year years decade decades century centuries night nights
    morning mornings
    """
)

# -- numbers ---------------------------------------------------------------------------------

NUMBER_WORDS: Final = _words(
    """
    two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion trillion dozen hundreds thousands millions
    billions
    """
)
SCALE_WORDS: Final = _words("hundred thousand million billion trillion bn mn")
#: Plural nouns without an "s", and units, which count things as a plural noun does.
IRREGULAR_PLURALS: Final = _words(
    """
    people children men women police personnel troops staff cattle sheep aircraft
    fish deer feet teeth mice geese crew livestock militia infantry
    """
)
UNITS: Final = _words(
    """
    km kilometres kilometers miles mile metres meters m cm mm kg kilograms tonnes tons
    litres liters barrels mph km/h mw gw kw megawatts gigawatts hectares acres sq
    """
)
CURRENCY_WORDS: Final = _words(
    """
    dollars euros pounds roubles rubles yen yuan rupees francs hryvnias lira shekels
    dinars riyals USD EUR GBP RUB
    """
)

# -- people ----------------------------------------------------------------------------------

#: Titles that end a title phrase ("Colonel General", "Vice Admiral", "Mr").
TITLE_HEADS: Final = _words(
    """
    Mr Mrs Ms Mx Miss Dr Prof Professor Sir Dame Lord Lady President Chancellor King Queen
    Prince Princess Pope Senator Sen Governor Gov Mayor General Gen Colonel Col Lieutenant
    Lt Major Maj Captain Capt Admiral Adm Commander Cmdr Sergeant Sgt Corporal Cpl Marshal
    Brigadier Judge Justice Rev Reverend Father Sheikh Ayatollah Emir Sultan Ambassador
    Archbishop Bishop Cardinal Rabbi Imam Inspector Detective Constable Superintendent
    Councillor Rep Representative Speaker Minister Premier Chairman Chairwoman Commissioner
    Secretary Chief Director Envoy Patriarch Metropolitan Executive Officer Spokesman
    Spokeswoman Spokesperson Gen. Lt. Col. Maj. Capt. Sgt.
    """
) | frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Rev.", "St."})
#: Words that may come before a head inside a title phrase ("Vice", "Prime", "Foreign").
TITLE_MODIFIERS: Final = _words(
    """
    Vice Deputy Prime Foreign Defence Defense Interior Finance Health Home Rear Field Air
    Chief Grand Lieutenant Colonel Major Brigadier Staff First Second Former Acting Interim
    Attorney Crown Supreme Opposition Party Foreign Justice Economy Energy Culture Education
    Transport Trade Labour Environment Security State Sergeant Police Fleet Army Navy
    """
)
#: Lowercase job words before a name ("union secretary Marta Ilves"): the name alone is the
#: person (the job is a description, not part of the name).
ROLE_NOUNS: Final = _words(
    """
    secretary executive spokesman spokeswoman spokesperson analyst expert leader minister
    official director chief founder commander head chairman chairwoman president
    correspondent reporter editor professor researcher economist lawyer attorney adviser
    advisor envoy ambassador mayor governor senator general colonel captain officer
    manager negotiator resident witness activist campaigner historian scientist author
    organiser organizer master nurse skipper
    """
)
#: Honorifics and ranks: part of a person's name ("Dr Hanna Lisk", "Colonel General Teodor
#: Haskel"); the other title words are job titles, left out of the name ("Mayor Dusan Orlik").
HONORIFICS_AND_RANKS: Final = _words(
    """
    Mr Mrs Ms Mx Miss Dr Prof Professor Sir Dame Lord Lady General Gen Colonel Col Lieutenant
    Lt Major Maj Captain Capt Admiral Adm Commander Cmdr Sergeant Sgt Corporal Cpl Marshal
    Brigadier Superintendent Inspector Detective Constable Rev Reverend Father Sheikh Imam
    Rabbi Ayatollah Gen. Lt. Col. Maj. Capt. Sgt.
    """
) | frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Rev."})
#: Words that make a rank of the rank after them ("Vice Admiral", "Lieutenant General", "Air
#: Chief Marshal"): with it, part of the name. Before a job title they are not ("Vice
#: President").
RANK_MODIFIERS: Final = _words(
    "Vice Rear Field Air Chief Lieutenant Brigadier Major Colonel Staff First Second Fleet"
)
#: Capitalised job words before a name that TITLE_HEADS does not hold ("Skipper Donal Pryce").
JOB_WORDS: Final = _words("Skipper Coach Editor Manager Organiser")
#: Nouns that refer back to an organisation ("the ministry said", "a rebel spokesman said").
ORG_ANAPHORS: Final = _words(
    """
    ministry company bank group council operator trust board union federation agency
    government firm airline broadcaster spokesman spokeswoman spokesperson department
    authority commission committee organisation organization coastguard party alliance
    insurer regulator charity foundation developer consortium utility network insurer
    """
)
NAME_PARTICLES: Final = _words("de da di du van von der den ter bin ibn al el la le dos das")

# -- organisations and groups ------------------------------------------------------------------

#: Nouns that end (or, with "of"/"for", start) an organisation's name.
ORG_HEADS: Final = _words(
    """
    Ministry Department Office Agency Authority Board Commission Committee Council
    Institute Foundation Bureau Service Services Association Organisation Organization
    Party Bank Fund Trust Corporation Corp Company Inc Ltd Group Centre Center Court
    Parliament Assembly Congress Senate Army Navy Force Forces Guard Guards Police Front
    Brigade Brigades Battalion Regiment Militia Alliance League Society University College
    Academy Network Tribunal Cabinet Secretariat Directorate Administration Inspectorate
    Observatory Airlines Airways Institution Federation Union Consortium Coalition Movement
    Command Council Partnership Broadcasting Corporation Programme Program Unit
    """
)
#: Well-known names of one organisation made of two words joined by "and" (or "&"), which no
#: cue in a single sentence tells from two people ("Procter and Gamble said"): ``(first,
#: second)``. Others are joined only when the text says it is one name (see claimants).
AND_NAMES: Final = frozenset(
    {
        ("Procter", "Gamble"),
        ("Marks", "Spencer"),
        ("Johnson", "Johnson"),
        ("Ernst", "Young"),
        ("Tate", "Lyle"),
        ("Barnes", "Noble"),
        ("Simon", "Schuster"),
        ("Dolce", "Gabbana"),
        ("Black", "Decker"),
        ("Bang", "Olufsen"),
        ("Lea", "Perrins"),
        ("Crosse", "Blackwell"),
    }
)
#: A verb or possessive after two names joined by "and" that takes one subject: "Marks and
#: Spencer has said", "Procter and Gamble says", "Smith and Nephew's shares".
SINGULAR_AFTER: Final = _words(
    """
    has is was does 's ’s says tells announces claims reports warns insists denies confirms
    expects believes argues adds states plans estimates predicts
    """
)
#: Words after a demonym that make it part of a place name rather than a NORP.
PLACE_HEADS: Final = _words("Federation Republic Empire Kingdom Emirates Peninsula Sea Gulf")

#: Demonyms, peoples, religious and political groups (adjective and plural noun forms).
DEMONYMS: Final = _words(
    """
    Afghan Afghans African Africans Albanian Albanians Algerian Algerians American Americans
    Arab Arabs Argentine Argentinian Argentinians Armenian Armenians Asian Asians Australian
    Australians Austrian Austrians Azerbaijani Azerbaijanis Baltic Bangladeshi Bangladeshis
    Belarusian Belarusians Belgian Belgians Bosnian Bosnians Brazilian Brazilians British
    Bulgarian Bulgarians Canadian Canadians Chilean Chileans Chinese Colombian Colombians
    Croat Croats Croatian Croatians Cuban Cubans Czech Czechs Danish Dutch Egyptian Egyptians
    Emirati Emiratis English Estonian Estonians Ethiopian Ethiopians European Europeans
    Filipino Filipinos Finnish French German Germans Georgian Georgians Greek Greeks
    Hungarian Hungarians Indian Indians Indonesian Indonesians Iranian Iranians Iraqi Iraqis
    Irish Israeli Israelis Italian Italians Japanese Jordanian Jordanians Kazakh Kenyan
    Kenyans Korean Koreans Kurd Kurds Kurdish Kuwaiti Kuwaitis Latvian Latvians Lebanese
    Libyan Libyans Lithuanian Lithuanians Mexican Mexicans Moldovan Moldovans Moroccan
    Moroccans Nigerian Nigerians Nordic Norwegian Norwegians Omani Omanis Pakistani
    Pakistanis Palestinian Palestinians Polish Portuguese Qatari Qataris Romanian Romanians
    Russian Russians Saudi Saudis Scandinavian Scandinavians Scottish Serb Serbs Serbian
    Serbians Slovak Slovaks Somali Somalis Soviet Spanish Sudanese Swedish Swiss Syrian
    Syrians Thai Tunisian Tunisians Turkish Ukrainian Ukrainians Uzbek Venezuelan
    Venezuelans Vietnamese Welsh Yemeni Yemenis
    Muslim Muslims Christian Christians Jewish Jew Jews Catholic Catholics Protestant
    Protestants Orthodox Sunni Sunnis Shia Shiite Shiites Alawite Alawites Druze Yazidi
    Yazidis Hindu Hindus Buddhist Buddhists Sikh Sikhs Islamist Islamists Republican
    Republicans Democrat Democrats Conservative Conservatives Labour
    """
)

# -- equipment -------------------------------------------------------------------------------

#: Nouns after a designator that belong to the equipment's name ("Kestrel-7 drones").
EQUIPMENT_NOUNS: Final = _words(
    """
    drone drones missile missiles bomber bombers jet jets fighter fighters interceptor
    interceptors launcher launchers tank tanks helicopter helicopters rocket rockets system
    systems warplane warplanes plane planes howitzer howitzers vehicle vehicles rifle rifles
    submarine submarines frigate frigates destroyer destroyers aircraft gunship gunships
    carrier carriers torpedo torpedoes mortar mortars radar radars satellite satellites
    """
)
#: Letter-digit codes that are not equipment ("COVID-19", "G-20", "Route-66").
DESIGNATOR_STOPLIST: Final = _words(
    """
    COVID Covid SARS MERS G Article Route Interstate Highway Section Chapter Gate Terminal
    Platform Flight Room Level Grade Class Year Phase Stage Round Game Page Vol No Pfizer
    Moderna Omicron Delta Alpha Beta Gamma Vision Agenda Windows Version Schedule Form
    """
)

# -- claims ----------------------------------------------------------------------------------

#: Reporting verbs that are a cue in any position.
CUE_VERBS: Final = _words(
    """
    said says say announced announces told tells reported claimed stated confirmed
    confirms estimated warned believe believes believed suggested added insisted noted
    denied admitted alleged acknowledged argued explained revealed disclosed predicted
    maintained asserted declared
    """
)
#: Reporting verbs that are also nouns ("reports suggested", "the claims"): a cue only when
#: "that" follows.
CUE_VERBS_WITH_THAT: Final = _words(
    """
    report reports claim claims state states estimate estimates warn warns suggest suggests
    found finds promised promises pledged pledges vowed vows
    """
)
#: Accusations: "accused X of Y" (the content is Y).
ACCUSING_VERBS: Final = _words("accused accuses")
#: Verbs that, after "and", start a second statement of the attribution's subject ("said A
#: and demanded B"): the first content ends before the "and".
FOLLOW_ON_VERBS: Final = _words(
    """
    accused demanded urged called vowed promised pledged threatened expected added warned
    insisted denied said says told announced confirmed admitted fear fears
    """
)
#: Verbs that are the cue of a second statement after "and"/"but" ("said A but fear B").
FOLLOW_ON_CUES: Final = _words("expected fear fears")
#: Nouns of a trailing comment on the content (", a figure that could not be verified").
COMMENT_NOUNS: Final = _words("figure claim number statement allegation assertion account")
#: Cues that make the claim itself tentative.
TENTATIVE_CUES: Final = _words("believe believes believed suggested suggest suggests")
BE_FORMS: Final = _words("is are was were be been being am 's")
HEDGE_WORDS: Final = _words(
    """
    allegedly reportedly apparently purportedly supposedly possibly suspected unconfirmed
    unverified could might perhaps
    """
)
#: Hedge adverbs that attribute the claim to unnamed sources: a sentence with one is a hedged
#: claim even without a cue (the adverb hedges it; it is never the cue).
REPORTING_ADVERBS: Final = _words("allegedly reportedly apparently purportedly supposedly")
#: Two-word hedges: the first word then the second.
HEDGE_PAIRS: Final = frozenset(
    {
        ("believed", "to"),
        ("thought", "to"),
        ("understood", "to"),
        ("said", "to"),
        ("claimed", "to"),
        ("appeared", "to"),
        ("appears", "to"),
        ("seemed", "to"),
        ("seems", "to"),
        ("may", "have"),
        ("might", "have"),
        ("may", "be"),
        ("is", "suspected"),
    }
)
CAUSAL_WORDS: Final = _words(
    "because caused causes cause blamed triggered sparked owing resulted consequence"
)
CAUSAL_PAIRS: Final = frozenset(
    {("due", "to"), ("led", "to"), ("lead", "to"), ("leads", "to"), ("result", "of")}
)
PREDICTION_WORDS: Final = _words(
    "will won't 'll would shall forecast forecasts predicted predicts projected"
)
PREDICTION_PAIRS: Final = frozenset(
    {("expected", "to"), ("likely", "to"), ("set", "to"), ("going", "to")}
)
QUOTES_OPEN: Final = frozenset({'"', "“", "‘", "'", "«", "„"})
QUOTES_CLOSE: Final = frozenset({'"', "”", "’", "'", "»", "“"})
