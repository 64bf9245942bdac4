"""A committee report with no action plan and no objectives: the negative control of the objective stage.

Everything an ordinary report to a committee holds that reads a little like an objective, and is not one:
numbered paragraphs that state the report's purpose ("1.1 To present the Committee with ..."), a recommendation
("The Committee is asked to: (a) note ...; (b) approve ..."), background written in the past, an options
appraisal ("Option 1: ..."), questions for members, principles ("Risks will be owned by ..."), a resolution
("(a) that the report be received"), and a footnote. Not part of the corpus (`make corpus`): tests render it.
"""
from __future__ import annotations

import random

from tests.synth.model import Doc, Heading, Text


def build_committee_report(rng: random.Random) -> Doc:
    council = rng.choice(["Eastmoor Borough Council", "Kingsreach District Council", "Harbury City Council"])
    doc = Doc("committee-report-risk-framework", "Annual review of the risk management framework", council, "",
              "2024-03-12", f"{council} \u2013 Audit and Governance Committee")
    doc.add(Text(council, size=16, bold=True),
            Text("Audit and Governance Committee", size=13, bold=True),
            Text("Report of: Director of Resources"),
            Text("Date of meeting: 12 March 2024"),
            Text("Subject: Annual review of the risk management framework"),
            Heading("1. Purpose of the report"),
            Text("To present the Committee with the annual review of the risk management framework and to seek "
                 "its approval of the revised risk management policy.", label="1.1"),
            Text("To update members on the work of the internal audit service since the last meeting of the "
                 "Committee in December.", label="1.2"),
            Heading("2. Recommendations"),
            Text("The Committee is asked to:", label="2.1"),
            Text("note the annual review of the risk management framework;", label="(a)"),
            Text("approve the revised risk management policy at Appendix A;", label="(b)"),
            Text("consider whether any further assurance is required on the strategic risk register.",
                 label="(c)"),
            Heading("3. Background"),
            Text("The Council adopted its current risk management framework in 2019.\u00b9 The framework was "
                 "last reviewed in March 2023, when the Committee received a report on its operation.",
                 label="3.1"),
            Text("Internal audit reported that risk registers were kept up to date in most directorates, and "
                 "that escalation to the corporate risk register had improved during the year.", label="3.2"),
            Text("To consider the findings, officers met each directorate management team between October and "
                 "December 2023.", label="3.3"),
            Heading("4. Options appraisal"),
            Text("Option 1: Retain the current framework without change. This is not recommended, as it "
                 "does not reflect the revised national guidance.", label="4.1"),
            Text("Option 2: Adopt the revised policy at Appendix A. This is the recommended option.",
                 label="4.2"),
            Heading("5. Principles of the revised policy"),
            Text("The revised policy rests on the following principles:"),
            Text("Risks will be owned by the officer best placed to manage them.", label="1)"),
            Text("Risk registers will be reviewed every quarter by each directorate.", label="2)"),
            Text("The Council will report its principal risks to the Committee twice a year.", label="3)"),
            Heading("6. Questions for the Committee"),
            Text("Is the Committee assured that risks are escalated promptly?", label="1."),
            Text("Does the revised policy reflect the Council\u2019s appetite for risk?", label="2."),
            Heading("7. Financial implications"),
            Text("There are no direct financial implications arising from this report.", label="7.1"),
            Heading("8. Resolution"),
            Text("RESOLVED:"),
            Text("that the report be received;", label="(a)"),
            Text("that the revised risk management policy at Appendix A be approved.", label="(b)"),
            Text("Audit and Governance Committee, 14 March 2023, item 7 (minutes published on the Council\u2019s "
                 "website).", label="1", size=7))
    return doc
