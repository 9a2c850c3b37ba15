import Foundation
import Yams

/// Builds each section of the policy set from its YAML, reporting every problem to the sink.
/// Returns nil from a section builder only when nothing usable could be read; the loader
/// fails whenever any diagnostic was reported.
struct PolicyBuilder {
    let sink: DiagnosticSink
    let sections: [String: YAMLNode]

    func build() -> CovenantPolicy? {
        let info = sections["covenant"].flatMap(covenantInfo)
        let kinds = sections["partyKinds"].flatMap(partyKinds)
        let parties = sections["parties"].flatMap { self.parties($0, kinds: kinds ?? []) }
        let accessions = sections["accessions"].flatMap { self.accessions($0, parties: parties ?? []) }
        let purposes = sections["purposes"].flatMap(purposes)
        let phases = sections["phases"].flatMap { self.phases($0, purposes: purposes ?? []) }
        let fields = sections["fields"].flatMap(fieldInfos)
        let bases = sections["bases"].flatMap(bases)
        let special = sections["specialCategoryBasis"].flatMap(specialBasis)
        let conflict = sections["conflictOfDuties"].flatMap(conflictOfDutiesBasis)
        let forums = sections["forums"].flatMap(forums)
        let table = sections["thuiszitterstafel"].flatMap(table)
        let consent = sections["consent"].flatMap(consentPolicy)
        let fieldConsents = sections["fieldConsents"].flatMap(fieldConsents)
        let scope = sections["scope"].flatMap(scopePolicy)
        let retention = sections["retention"].flatMap(retentionPolicy)
        let rules = sections["rules"].flatMap(rules)
        if let forums, let table, let node = sections["thuiszitterstafel"] {
            checkTableCoversParticipants(forums: forums, table: table, node: node)
        }
        guard let info, let kinds, let parties, let accessions, let purposes, let phases,
              let fields, let bases, let special, let conflict, let forums, let table, let consent,
              let fieldConsents, let scope, let retention, let rules
        else { return nil }
        return CovenantPolicy(
            info: info, partyKinds: kinds, parties: parties, accessions: accessions,
            purposes: purposes, phases: phases, fields: fields, bases: bases,
            specialCategoryBasis: special, conflictOfDuties: conflict, forums: forums, table: table, consent: consent,
            fieldConsents: fieldConsents, scope: scope, retention: retention, rules: rules)
    }

    // MARK: Shared helpers

    /// Reads a list of mappings, each with exactly the allowed keys.
    func list<T>(_ node: YAMLNode, allowed: [String], _ read: (YAMLMap) -> T?) -> [T]? {
        guard let items = node.sequence() else { return nil }
        var result: [T] = []
        var complete = true
        for item in items {
            if let map = item.map(allowed: allowed), let value = read(map) {
                result.append(value)
            } else {
                complete = false
            }
        }
        return complete ? result : nil
    }

    /// Reports ids that occur twice.
    func checkUnique(_ ids: [String], in node: YAMLNode, what: String) {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            node.error("\(what) '\(id)' is defined twice")
        }
    }

    /// Parses an enum value, listing the allowed values when it is unknown.
    func value<E: RawRepresentable & CaseIterable>(_ node: YAMLNode?, _ type: E.Type, what: String) -> E?
    where E.RawValue == String {
        guard let node, let text = node.string() else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            node.error("unknown \(what) '\(text)' (known: \(allowed))")
            return nil
        }
        return value
    }

    func partySpec(_ node: YAMLNode) -> PartySpec? {
        guard let text = node.string() else { return nil }
        guard let spec = PartySpec(parsing: text) else {
            let kinds = PartyKind.allCases.map(\.rawValue).joined(separator: ", ")
            let roles = PartyRole.allCases.map(\.rawValue).joined(separator: ", ")
            node.error("unknown party kind or role '\(text)' (kinds: \(kinds); roles: \(roles))")
            return nil
        }
        if spec.role != nil && spec.kind != .gemeente {
            node.error("'\(text)': only kind 'gemeente' has roles")
            return nil
        }
        return spec
    }

    func partySpecs(_ node: YAMLNode?) -> [PartySpec]? {
        guard let node, let items = node.sequence() else { return nil }
        let specs = items.compactMap(partySpec)
        return specs.count == items.count ? specs : nil
    }

    func fieldSet(_ node: YAMLNode?) -> FieldSet? {
        guard let node, let items = node.sequence() else { return nil }
        var set = FieldSet()
        var complete = true
        for item in items {
            guard let field = value(item, Field.self, what: "field") else {
                complete = false
                continue
            }
            set.insert(field)
        }
        return complete ? set : nil
    }

    func forumSet(_ node: YAMLNode?) -> Set<Forum>? {
        guard let node else { return nil }
        if case .scalar(let scalar) = node.node, scalar.string == "any" { return Set(Forum.allCases) }
        guard let items = node.sequence() else { return nil }
        let forums = items.compactMap { value($0, Forum.self, what: "forum") }
        return forums.count == items.count ? Set(forums) : nil
    }

    /// Each case of an enum must be defined exactly once in a section.
    func checkCovers<E: RawRepresentable & CaseIterable>(_ defined: [E], _ type: E.Type, node: YAMLNode, what: String)
    where E.RawValue == String {
        for value in E.allCases where !defined.contains(where: { $0.rawValue == value.rawValue }) {
            node.error("\(what) '\(value.rawValue)' is not defined")
        }
    }

    static let datePattern = try! NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}$"#)
    func date(_ map: YAMLMap, _ key: String) -> String? {
        guard let node = map.node(key), let text = node.string() else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        guard Self.datePattern.firstMatch(in: text, range: range) != nil else {
            node.error("expected a date as YYYY-MM-DD, found '\(text)'")
            return nil
        }
        return text
    }

    static let ruleIDPattern = try! NSRegularExpression(pattern: #"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"#)
    /// Lower-case words joined by '-', as the engine's rule ids are written.
    static func isRuleID(_ text: String) -> Bool {
        ruleIDPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static let gdprPattern = try! NSRegularExpression(pattern: #"^[69]\([12]\)\([a-j]\)$"#)
    func gdpr(_ map: YAMLMap) -> String? {
        guard let node = map.node("gdpr"), let text = node.string() else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        guard Self.gdprPattern.firstMatch(in: text, range: range) != nil else {
            node.error("expected a GDPR ground such as 6(1)(e) or 9(2)(a), found '\(text)'")
            return nil
        }
        return text
    }

    // MARK: Covenant, parties, purposes, fields

    func covenantInfo(_ node: YAMLNode) -> CovenantInfo? {
        guard let map = node.map(allowed: ["id", "title", "source", "version", "article"]) else { return nil }
        let id = map.string("id"), title = map.string("title"), source = map.string("source")
        let version = map.string("version"), article = map.article()
        guard let id, let title, let source, let version, let article else { return nil }
        return CovenantInfo(id: id, title: title, source: source, version: version, article: article)
    }

    func partyKinds(_ node: YAMLNode) -> [PartyKindInfo]? {
        let result = list(node, allowed: ["id", "label", "party", "accession", "article", "roles"]) { map -> PartyKindInfo? in
            let kind = value(map.node("id"), PartyKind.self, what: "party kind")
            let label = map.string("label"), isParty = map.bool("party"), article = map.article()
            var accessionRequired = false
            if let node = map.node("accession", required: false), let text = node.string() {
                if text == "required" { accessionRequired = true } else {
                    node.error("expected 'required', found '\(text)'")
                    return nil
                }
            }
            var roles: [RoleInfo] = []
            if let rolesNode = map.node("roles", required: false) {
                guard let read = list(rolesNode, allowed: ["id", "label", "default", "article"], { map -> RoleInfo? in
                    let role = value(map.node("id"), PartyRole.self, what: "role")
                    let label = map.string("label"), isDefault = map.bool("default"), article = map.article()
                    guard let role, let label, let isDefault, let article else { return nil }
                    return RoleInfo(role: role, label: label, isDefault: isDefault, article: article)
                }) else { return nil }
                roles = read
                if kind != .gemeente && !roles.isEmpty {
                    rolesNode.error("only kind 'gemeente' has roles (decision contract)")
                }
                if roles.filter(\.isDefault).count != 1 {
                    rolesNode.error("exactly one role must be the default")
                }
            }
            guard let kind, let label, let isParty, let article else { return nil }
            if kind == .derde && isParty { map.owner.error("'derde' is not a party (art. 1.5, art. 14)") }
            return PartyKindInfo(kind: kind, label: label, isParty: isParty,
                                 accessionRequired: accessionRequired, article: article, roles: roles)
        }
        guard let result else { return nil }
        checkUnique(result.map(\.kind.rawValue), in: node, what: "party kind")
        checkCovers(result.map(\.kind), PartyKind.self, node: node, what: "party kind")
        checkCovers(result.flatMap { $0.roles.map(\.role) }, PartyRole.self, node: node, what: "role")
        return result
    }

    func parties(_ node: YAMLNode, kinds: [PartyKindInfo]) -> [Party]? {
        let result = list(node, allowed: ["id", "kind", "name", "seat", "schools", "article"]) { map -> Party? in
            let id = map.string("id"), name = map.string("name"), seat = map.string("seat")
            let article = map.article()
            let kindNode = map.node("kind")
            let kind = value(kindNode, PartyKind.self, what: "party kind")
            let schools = map.node("schools", required: false).map { $0.stringList() } ?? []
            guard let id, let name, let seat, let article, let kind, let kindNode, let schools else { return nil }
            if let info = kinds.first(where: { $0.kind == kind }) {
                if !info.isParty {
                    kindNode.error("kind '\(kind.rawValue)' is not a party (art. 1.5, art. 14)")
                } else if info.accessionRequired {
                    kindNode.error("a '\(kind.rawValue)' becomes a party only by accession: list it under 'accessions' (art. 18)")
                }
            }
            return Party(id: id, kind: kind, name: name, seat: seat, schools: schools, article: article)
        }
        if let result { checkUnique(result.map(\.id), in: node, what: "party") }
        return result
    }

    func accessions(_ node: YAMLNode, parties: [Party]) -> [Accession]? {
        let allowed = ["party", "name", "approvedOn", "signedOn", "notifiedOn", "article"]
        let result = list(node, allowed: allowed) { map -> Accession? in
            let party = map.string("party"), name = map.string("name"), article = map.article()
            // art. 18.1 agreement, 18.2 signed form, 18.3 the gemeente informs the participants.
            let approved = date(map, "approvedOn"), signed = date(map, "signedOn"), notified = date(map, "notifiedOn")
            guard let party, let name, let article, let approved, let signed, let notified else { return nil }
            if parties.contains(where: { $0.id == party }) {
                map.owner.error("party '\(party)' is already a party; an accession names a new jeugdhulpaanbieder")
            }
            if !(approved <= signed && signed <= notified) {
                map.owner.error("accession dates out of order: approval (art. 18.1) before signing (18.2) before notice (18.3)")
            }
            return Accession(party: party, name: name, approvedOn: approved, signedOn: signed,
                             notifiedOn: notified, article: article)
        }
        if let result { checkUnique(result.map(\.party), in: node, what: "accession") }
        return result
    }

    static let purposePattern = try! NSRegularExpression(pattern: #"^3\.1\.[a-g]$"#)
    func purposes(_ node: YAMLNode) -> [Purpose]? {
        let result = list(node, allowed: ["id", "text", "article"]) { map -> Purpose? in
            let idNode = map.node("id"), text = map.string("text"), article = map.article()
            guard let idNode, let id = idNode.string(), let text, let article else { return nil }
            let range = NSRange(id.startIndex..., in: id)
            if Self.purposePattern.firstMatch(in: id, range: range) == nil {
                idNode.error("'\(id)' is not a purpose of art. 3.1 (3.1.a … 3.1.g)")
                return nil
            }
            return Purpose(id: id, text: text, article: article)
        }
        if let result { checkUnique(result.map(\.id), in: node, what: "purpose") }
        return result
    }

    func phases(_ node: YAMLNode, purposes known: [Purpose]) -> [Phase]? {
        let result = list(node, allowed: ["id", "label", "purposes", "article"]) { map -> Phase? in
            let id = map.string("id"), label = map.string("label"), article = map.article()
            let purposes = map.stringList("purposes")
            guard let id, let label, let article, let purposes else { return nil }
            // Art. 3.4 sub a: a phase serves purposes of art. 3.1, and only those.
            for purpose in purposes where !known.isEmpty && !known.contains(where: { $0.id == purpose }) {
                map.node("purposes")?.error("phase '\(id)': purpose '\(purpose)' is not defined under purposes")
                return nil
            }
            return Phase(id: id, label: label, purposes: purposes, article: article)
        }
        if let result { checkUnique(result.map(\.id), in: node, what: "phase") }
        return result
    }

    func fieldInfos(_ node: YAMLNode) -> [FieldInfo]? {
        let result = list(node, allowed: ["id", "label", "category", "article"]) { map -> FieldInfo? in
            let field = value(map.node("id"), Field.self, what: "field")
            let category = value(map.node("category"), FieldCategory.self, what: "category")
            let label = map.string("label"), article = map.article()
            guard let field, let category, let label, let article else { return nil }
            return FieldInfo(field: field, label: label, category: category, article: article)
        }
        guard let result else { return nil }
        checkUnique(result.map(\.field.rawValue), in: node, what: "field")
        checkCovers(result.map(\.field), Field.self, node: node, what: "field")
        // Indexed by Field.index for the engine.
        return Field.allCases.compactMap { field in result.first { $0.field == field } }
    }
}
