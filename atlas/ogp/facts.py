"""Headline facts about Kyrgyzstan's first OGP National Action Plan (2018-2020), each with its source.

Taken from data/ogp_commitments.md (the provenance note of the commitments table). Where the
sources disagree or are silent, the fact says so instead of picking a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from atlas.i18n import N_


@dataclass(frozen=True)
class Fact:
    label: str  # msgid
    value: str  # msgid
    source: str  # msgid, with dates
    gap: str = ""  # msgid: what the sources leave open


HEADLINE_FACTS: tuple[Fact, ...] = (
    Fact(
        N_("Commitments"),
        N_("18 in the plan as adopted"),
        N_("IRM Design Report 2018-2020 (published 2021); also OSCE (23 Oct 2018) and EWMI"),
        N_(
            "The OGP website lists IDs up to KG0026 and its member page counted 25; 24.kg reported 19. "
            "20 commitments have data in this app; KG0004, KG0005, KG0008, KG0013, KG0014 and KG0015 "
            "are known only by their number."
        ),
    ),
    Fact(
        N_("Thematic areas"),
        N_("9"),
        N_("IRM Design Report 2018-2020"),
        N_("The names of the nine areas and which commitment belongs to which are not in the sources read."),
    ),
    Fact(
        N_("National OGP forum"),
        N_("38 members, half from government and half from civil society"),
        N_("OSCE Programme Office in Bishkek, 23 Oct 2018"),
    ),
    Fact(
        N_("Plan adopted"),
        N_("16 October 2018, Government Resolution No. 360-r"),
        N_("OGP commitment page KG0025; presented by the Prime Minister on 23 Oct 2018 (OSCE)"),
    ),
    Fact(
        N_("Kyrgyzstan joined OGP"),
        N_("November 2017, the first country in Central Asia"),
        N_("Kabar news agency, 22 Nov 2017"),
    ),
    Fact(
        N_("How far each commitment got"),
        N_("Not known"),
        N_("IRM Transitional Results Report 2018-2020 (July-August 2021)"),
        N_("The copy read ends before the completion levels; no figure is shown rather than a guess."),
    ),
)
