import Foundation

/// The rules in force as readable Dutch tables (Markdown), each with its article: for the FG
/// or a school's privacy officer (`sluis policy explain`).
public enum PolicyExplainer {
    public static func markdown(_ policy: CovenantPolicy) -> String {
        var out: [String] = []
        let info = policy.info
        out.append("# \(info.title)")
        out.append("")
        out.append("Bron: \(info.source). Versie van deze beleidsset: \(info.version).")
        out.append("Niets gaat zonder grondslag (art. 4); wat hieronder niet is toegestaan, wordt achtergehouden.")

        section(&out, "Partijen", "convenant, ondergetekenden; art. 18")
        table(&out, ["Partij", "Soort", "Scholen", "Artikel"], policy.parties.map {
            [$0.name, $0.kind.rawValue, $0.schools.isEmpty ? "—" : $0.schools.joined(separator: ", "), $0.article]
        })
        out.append("")
        if policy.accessions.isEmpty {
            out.append("Toetredingen van jeugdhulpaanbieders (art. 18, Bijlage 1): nog geen.")
        } else {
            table(&out, ["Toegetreden jeugdhulpaanbieder", "Instemming (18.1)", "Ondertekend (18.2)", "Gemeld (18.3)"],
                  policy.accessions.map { [$0.name, $0.approvedOn, $0.signedOn, $0.notifiedOn] })
        }
        out.append("")
        table(&out, ["Soort", "Omschrijving", "Partij?", "Artikel"], policy.partyKinds.map {
            let party = !$0.isParty ? "nee (derde)" : $0.accessionRequired ? "na toetreding" : "ja"
            return [$0.kind.rawValue, $0.label, party, $0.article]
        })

        section(&out, "Doelen", "art. 3.1, 3.3")
        table(&out, ["Doel", "Omschrijving", "Artikel"], policy.purposes.map { [$0.id, $0.text, $0.article] })

        section(&out, "Gegevens die ten hoogste gaan", "art. 5.1, 1.2")
        table(&out, ["Gegeven", "Omschrijving", "Soort", "Artikel"], policy.fields.map {
            [$0.field.rawValue, $0.label, categoryLabel($0.category), $0.article]
        })

        section(&out, "Grondslagen per verstrekker", "art. 4")
        table(&out, ["Verstrekker", "Ontvangers", "Overleggen", "AVG", "Wet", "Artikel", "Toestemming"], policy.bases.map {
            [$0.sender.description, $0.recipients.map(\.description).joined(separator: ", "),
             forumsLabel($0.forums),
             $0.basis.gdpr, $0.basis.law.joined(separator: "; "), $0.basis.article,
             $0.consentRequired ? "vereist" : "—"]
        })
        let special = policy.specialCategoryBasis
        out.append("")
        out.append("Bijzondere persoonsgegevens: daarnaast \(special.gdpr) (\(special.law.joined(separator: "; "))), \(special.article).")

        section(&out, "Overleggen", "Bijlage 3; art. 5.6; Leerplichtwet art. 21a")
        table(&out, ["Overleg", "Deelnemers", "Gegevens", "Identiteit", "Informeren", "Artikel"], policy.forums.map { forum in
            let participants = forum.participants.map(\.description)
                + forum.routes.map { "\($0.from) → \($0.to)" }
            let identity: String
            switch forum.identity {
            case .never: identity = "nooit (\(forum.identityArticle ?? forum.article))"
            case .allowed: identity = "toegestaan"
            case .table: identity = "volgens tabel thuiszitterstafel"
            }
            let informing = forum.informingRequired ? "vooraf (art. 12.1)" : "niet (\(forum.informingArticle ?? forum.article))"
            var fields = forum.fields.fields.map(\.rawValue).joined(separator: ", ")
            if forum.questionConsentRequired { fields += "; toestemming per hulpvraag" }
            return [forum.label, participants.joined(separator: ", "), fields, identity, informing, forum.article]
        })

        section(&out, "Thuiszitterstafel: toestemming of DUO-melding per casustype", policy.table.article)
        table(&out, ["Casustype"] + policy.table.columns.map { "\($0.id) (\($0.senders.map(\.description).joined(separator: ", ")))" },
              policy.table.rows.map { row in
                  ["\(row.label) (`\(row.caseType)`)"] + row.requirements.map(requirementLabel)
              })
        out.append("")
        out.append("Is niet voldaan, dan wordt de leerling anoniem (onder pseudoniem) besproken. Deze lezing van de tabel is een interpretatie (docs/policy-format.md).")
        out.append("Voor de leerplichtambtenaar geldt daarbij verzuimprotocol 5.4, of hij de leerling inbrengt of erover hoort: zonder DUO-melding anoniem, behalve met toestemming waar zijn kolom om toestemming vraagt (interpretatie).")

        section(&out, "Toestemming: wie geeft haar", policy.consent.article)
        table(&out, ["Leeftijd", "Toestemming van"], policy.consent.bands.map { [agesLabel($0), giversLabel($0)] })

        section(&out, "Gegevens die op een route alleen met toestemming gaan", "verzuimprotocol 5.5.2; per regel")
        if policy.fieldConsents.isEmpty {
            out.append("Geen.")
        } else {
            table(&out, ["Regel", "Gegevens", "Route", "Overleggen", "Toestemming van", "Artikel", "Reden"],
                  policy.fieldConsents.map { rule in
                      [rule.id, rule.fields.fields.map(\.rawValue).joined(separator: ", "),
                       "\(rule.sender) → \(rule.recipients.map(\.description).joined(separator: ", "))",
                       forumsLabel(rule.forums),
                       rule.consent.bands.map { "\(agesLabel($0)): \(giversLabel($0))" }.joined(separator: "; "),
                       rule.article, rule.reason]
                  })
            out.append("")
            out.append("Ook waar een grondslag het gegeven anders zou dekken; toestemmingen van ouder en jongere die apart zijn vastgelegd, tellen samen (voetnoot 28).")
        }
        out.append("")
        out.append("Thuiszitter: \(policy.scope.fromAge) tot en met \(policy.scope.toAge) jaar (\(policy.scope.article)).")

        section(&out, "Regels die een verstrekking begrenzen", "per regel")
        table(&out, ["Regel", "Artikel", "Reden"], policy.rules.map { [$0.id.rawValue, $0.article, $0.reason] })

        section(&out, "Sluiten en bewaren", "art. 5.5, 9")
        table(&out, ["Sluitingsgrond", "Artikel"], policy.retention.closureReasons.map { [$0.id, $0.article] })
        out.append("")
        out.append("Vernietigen uiterlijk \(policy.retention.destroyWithinMonths) maanden na sluiting (\(policy.retention.destroyArticle)).")
        if policy.retention.anonymisedMayBeKept {
            out.append("Alleen niet tot personen herleidbare gegevens mogen langer blijven (\(policy.retention.anonymisedArticle)).")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func categoryLabel(_ category: FieldCategory) -> String {
        switch category {
        case .identity: "identiteit"
        case .case: "casus"
        case .special: "bijzonder"
        }
    }

    static func agesLabel(_ band: ConsentPolicy.Band) -> String {
        band.toAge.map { "\(band.fromAge)–\($0) jaar" } ?? "\(band.fromAge) jaar en ouder"
    }

    static func giversLabel(_ band: ConsentPolicy.Band) -> String {
        band.required.givers.map { $0 == .pupil ? "de jongere" : "ouder/wettelijk vertegenwoordiger" }
            .joined(separator: " én ")
    }

    static func forumsLabel(_ forums: Set<Forum>) -> String {
        forums.count == Forum.allCases.count
            ? "alle" : Forum.allCases.filter(forums.contains).map(\.rawValue).joined(separator: ", ")
    }

    static func requirementLabel(_ requirement: TableRequirement) -> String {
        switch requirement {
        case .notify: "ouders melden"
        case .consent: "toestemming vragen"
        case .duo: "na DUO-melding"
        case .duoOrConsent: "na DUO-melding of toestemming"
        }
    }

    private static func section(_ out: inout [String], _ title: String, _ article: String) {
        out.append("")
        out.append("## \(title) (\(article))")
        out.append("")
    }

    private static func table(_ out: inout [String], _ header: [String], _ rows: [[String]]) {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        out.append(line(header))
        out.append("|" + String(repeating: " --- |", count: header.count))
        out.append(contentsOf: rows.map(line))
    }
}
