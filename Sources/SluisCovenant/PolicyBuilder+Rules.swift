/// The rule sections: legal bases (art. 4), forums (Bijlage 3), the thuiszitterstafel table
/// (protocol ch. 5), consent (fn 28), consent per field on a flow (protocol 5.5.2), scope
/// (art. 1.11), retention (art. 5.5, 9) and the named rules with their articles.
extension PolicyBuilder {
    func bases(_ node: YAMLNode) -> [BasisRule]? {
        let allowed = ["id", "sender", "recipients", "forums", "gdpr", "law", "article", "consent"]
        let result = list(node, allowed: allowed) { map -> BasisRule? in
            let id = map.string("id"), sender = map.node("sender").flatMap(partySpec)
            let recipients = partySpecs(map.node("recipients")), forums = forumSet(map.node("forums"))
            let gdpr = gdpr(map), law = map.stringList("law"), article = map.article()
            var consentRequired = false
            if let node = map.node("consent", required: false), let text = node.string() {
                if text == "required" { consentRequired = true } else {
                    node.error("expected 'required', found '\(text)'")
                    return nil
                }
            }
            guard let id, let sender, let recipients, let forums, let gdpr, let law, let article else { return nil }
            if recipients.contains(where: { $0.kind == .derde }) {
                map.owner.error("a basis cannot name 'derde' as recipient: third parties fall outside the covenant (art. 14)")
            }
            return BasisRule(id: id, sender: sender, recipients: recipients, forums: forums,
                             basis: LegalBasis(gdpr: gdpr, law: law, article: article),
                             consentRequired: consentRequired)
        }
        guard let result else { return nil }
        checkUnique(result.map(\.id), in: node, what: "basis")
        if result.count > 64 { node.error("at most 64 bases are supported, found \(result.count)") }
        return result
    }

    func specialBasis(_ node: YAMLNode) -> LegalBasis? {
        guard let map = node.map(allowed: ["id", "gdpr", "law", "article"]) else { return nil }
        let id = map.string("id"), gdpr = gdpr(map), law = map.stringList("law"), article = map.article()
        guard id != nil, let gdpr, let law, let article else { return nil }
        if !gdpr.hasPrefix("9(2)") {
            map.node("gdpr")?.error("special-category data needs an exception of AVG art. 9(2), found '\(gdpr)'")
        }
        return LegalBasis(gdpr: gdpr, law: law, article: article)
    }

    /// `conflictOfDuties: {basis: {id, gdpr, law, article}, specialBasis: {…}}` (art. 6.1 sub e).
    func conflictOfDutiesBasis(_ node: YAMLNode) -> ConflictOfDutiesBasis? {
        guard let map = node.map(allowed: ["basis", "specialBasis"]) else { return nil }
        let basis = map.node("basis").flatMap { node -> LegalBasis? in
            guard let map = node.map(allowed: ["id", "gdpr", "law", "article"]) else { return nil }
            let id = map.string("id"), gdpr = gdpr(map), law = map.stringList("law"), article = map.article()
            guard id != nil, let gdpr, let law, let article else { return nil }
            return LegalBasis(gdpr: gdpr, law: law, article: article)
        }
        let special = map.node("specialBasis").flatMap(specialBasis)
        guard let basis, let special else { return nil }
        return ConflictOfDutiesBasis(basis: basis, specialBasis: special)
    }

    func forums(_ node: YAMLNode) -> [ForumRule]? {
        let allowed = ["id", "label", "article", "participants", "routes", "fields", "fieldsArticle",
                       "identity", "identityArticle", "informing", "informingArticle", "questionConsent"]
        let result = list(node, allowed: allowed) { map -> ForumRule? in
            let forum = value(map.node("id"), Forum.self, what: "forum")
            let label = map.string("label"), article = map.article()
            let participants = partySpecs(map.node("participants"))
            let routes: [ForumRoute]? = map.node("routes", required: false).map { routesNode in
                list(routesNode, allowed: ["from", "to", "article"]) { route -> ForumRoute? in
                    let from = route.node("from").flatMap(partySpec), to = route.node("to").flatMap(partySpec)
                    let article = route.article()
                    guard let from, let to, let article else { return nil }
                    return ForumRoute(from: from, to: to, article: article)
                }
            } ?? []
            let fields = fieldSet(map.node("fields")), fieldsArticle = map.string("fieldsArticle")
            let identity = value(map.node("identity"), IdentityRule.self, what: "identity rule")
            let identityArticle = map.string("identityArticle", required: identity == .never)
            let informingNode = map.node("informing")
            var informingRequired: Bool?
            if let text = informingNode?.string() {
                switch text {
                case "required": informingRequired = true
                case "not-required": informingRequired = false
                default: informingNode?.error("expected 'required' or 'not-required', found '\(text)'")
                }
            }
            let informingArticle = map.string("informingArticle", required: informingRequired == false)
            var questionConsent = false
            if let node = map.node("questionConsent", required: false), let text = node.string() {
                if text == "required" { questionConsent = true } else {
                    node.error("expected 'required', found '\(text)'")
                }
            }
            guard let forum, let label, let article, let participants, let routes, let fields,
                  let fieldsArticle, let identity, let informingRequired
            else { return nil }
            if participants.contains(where: { $0.kind == .derde })
                || routes.contains(where: { $0.from.kind == .derde || $0.to.kind == .derde }) {
                map.owner.error("a forum cannot admit 'derde': third parties are not participants (art. 14.1)")
            }
            return ForumRule(
                forum: forum, label: label, article: article, participants: participants, routes: routes,
                fields: fields, fieldsArticle: fieldsArticle, identity: identity,
                identityArticle: identityArticle, informingRequired: informingRequired,
                informingArticle: informingArticle, questionConsentRequired: questionConsent)
        }
        guard let result else { return nil }
        checkUnique(result.map(\.forum.rawValue), in: node, what: "forum")
        checkCovers(result.map(\.forum), Forum.self, node: node, what: "forum")
        return result
    }

    func table(_ node: YAMLNode) -> ThuiszitterstafelTable? {
        guard let map = node.map(allowed: ["article", "columns", "rows"]) else { return nil }
        let article = map.article()
        let columns = map.node("columns").flatMap { columnsNode in
            list(columnsNode, allowed: ["id", "senders"]) { column -> ThuiszitterstafelTable.Column? in
                let id = column.string("id"), senders = partySpecs(column.node("senders"))
                guard let id, let senders else { return nil }
                return ThuiszitterstafelTable.Column(id: id, senders: senders)
            }
        }
        guard let columns else { return nil }
        let columnIDs = columns.map(\.id)
        let rows = map.node("rows").flatMap { rowsNode in
            list(rowsNode, allowed: ["caseType", "label"] + columnIDs) { row -> ThuiszitterstafelTable.Row? in
                let caseType = row.string("caseType"), label = row.string("label")
                let requirements = columnIDs.map { value(row.node($0), TableRequirement.self, what: "requirement") }
                guard let caseType, let label, requirements.allSatisfy({ $0 != nil }) else { return nil }
                return ThuiszitterstafelTable.Row(caseType: caseType, label: label,
                                                  requirements: requirements.map { $0! })
            }
        }
        guard let article, let rows else { return nil }
        if let columnsNode = map.node("columns") {
            checkUnique(columnIDs, in: columnsNode, what: "column")
        }
        if let rowsNode = map.node("rows") {
            checkUnique(rows.map(\.caseType), in: rowsNode, what: "case type")
        }
        return ThuiszitterstafelTable(article: article, columns: columns, rows: rows)
    }

    /// Every sender admitted to a forum that the table governs must have a column, or the
    /// engine could not say what it needs (protocol ch. 5).
    func checkTableCoversParticipants(forums: [ForumRule], table: ThuiszitterstafelTable, node: YAMLNode) {
        for forum in forums where forum.identity == .table {
            let senders = forum.participants + forum.routes.map(\.from)
            for sender in senders {
                // A gemeente without a role stands for each of its roles.
                let roles: [PartyRole?] = sender.kind == .gemeente && sender.role == nil
                    ? PartyRole.allCases : [sender.role]
                for role in roles {
                    let ref = PartyRef(kind: sender.kind, role: role)
                    if table.column(for: ref) == nil {
                        let name = PartySpec(kind: ref.kind, role: ref.effectiveRole)
                        node.error("forum '\(forum.forum.rawValue)' admits sender '\(name)' but the table has no column for it")
                    }
                }
            }
        }
    }

    func consentPolicy(_ node: YAMLNode) -> ConsentPolicy? {
        guard let map = node.map(allowed: ["article", "givers", "endNotice"]) else { return nil }
        let article = map.article()
        let bands = map.node("givers").flatMap(consentBands)
        let endNotice = map.node("endNotice").flatMap { node -> ConsentPolicy.EndNotice? in
            guard let notice = node.map(allowed: ["daysBefore", "article"]) else { return nil }
            let days = notice.int("daysBefore"), article = notice.article()
            guard let days, let article else { return nil }
            guard (1...366).contains(days) else {
                notice.owner.error("daysBefore must be 1–366 days")
                return nil
            }
            return ConsentPolicy.EndNotice(daysBefore: days, article: article)
        }
        guard let article, let bands, let endNotice else { return nil }
        return ConsentPolicy(article: article, bands: bands, endNotice: endNotice)
    }

    /// Age bands with the givers each requires: from age 0 upwards, without gap or overlap,
    /// the last one open-ended (fn 28 at art. 13.1).
    func consentBands(_ givers: YAMLNode) -> [ConsentPolicy.Band]? {
        let bands = list(givers, allowed: ["fromAge", "toAge", "required"]) { band -> ConsentPolicy.Band? in
            let from = band.int("fromAge"), to = band.int("toAge", required: false)
            let requiredNode = band.node("required")
            let required = requiredNode?.sequence()?.compactMap { value($0, ConsentGiver.self, what: "consent giver") }
            guard let from, let required, !required.isEmpty else {
                if required?.isEmpty == true { requiredNode?.error("name at least one consent giver") }
                return nil
            }
            return ConsentPolicy.Band(fromAge: from, toAge: to, required: ConsentGiverSet(required))
        }
        guard let bands else { return nil }
        var next = 0
        for (index, band) in bands.enumerated() {
            if band.fromAge != next {
                givers.error("band \(index) starts at age \(band.fromAge), expected \(next): bands must follow each other without gap or overlap")
                return nil
            }
            if let to = band.toAge {
                if to < band.fromAge { givers.error("band \(index) ends before it starts"); return nil }
                next = to + 1
            } else if index != bands.count - 1 {
                givers.error("only the last band may be open-ended")
                return nil
            } else {
                next = Int.max
            }
        }
        if next != Int.max { givers.error("the last band must be open-ended (no toAge)"); return nil }
        return bands
    }

    /// Fields that need consent on one flow, whatever the basis (verzuimprotocol 5.5.2). Each
    /// entry is a rule of its own: an id that is not an engine rule, an article and a reason.
    func fieldConsents(_ node: YAMLNode) -> [FieldConsentRule]? {
        let allowed = ["id", "fields", "sender", "recipients", "forums", "givers", "article", "reason"]
        let result = list(node, allowed: allowed) { map -> FieldConsentRule? in
            let idNode = map.node("id"), id = idNode?.string()
            let fields = fieldSet(map.node("fields")), sender = map.node("sender").flatMap(partySpec)
            let recipients = partySpecs(map.node("recipients")), forums = forumSet(map.node("forums"))
            let bands = map.node("givers").flatMap(consentBands)
            let article = map.article(), reason = map.string("reason")
            guard let idNode, let id, let fields, let sender, let recipients, let forums, let bands,
                  let article, let reason
            else { return nil }
            if !Self.isRuleID(id) {
                idNode.error("'\(id)' is not a rule id (lower-case words joined by '-')")
                return nil
            }
            if RuleID(rawValue: id) != nil {
                idNode.error("'\(id)' is already a rule of the engine; a fieldConsents entry names a rule of its own")
                return nil
            }
            if fields.isEmpty { map.node("fields")?.error("name at least one field") }
            if sender.kind == .derde || recipients.contains(where: { $0.kind == .derde }) {
                map.owner.error("a fieldConsents entry cannot name 'derde': nothing goes to or from a third party under the covenant (art. 14)")
            }
            return FieldConsentRule(id: id, fields: fields, sender: sender, recipients: recipients, forums: forums,
                                    consent: ConsentPolicy(article: article, bands: bands),
                                    article: article, reason: reason)
        }
        guard let result else { return nil }
        checkUnique(result.map(\.id), in: node, what: "fieldConsents entry")
        if result.count > 64 { node.error("at most 64 fieldConsents entries are supported, found \(result.count)") }
        return result
    }

    func scopePolicy(_ node: YAMLNode) -> ScopePolicy? {
        guard let map = node.map(allowed: ["fromAge", "toAge", "article"]) else { return nil }
        let from = map.int("fromAge"), to = map.int("toAge"), article = map.article()
        guard let from, let to, let article else { return nil }
        if to < from { map.owner.error("toAge \(to) is below fromAge \(from)") }
        return ScopePolicy(fromAge: from, toAge: to, article: article)
    }

    func retentionPolicy(_ node: YAMLNode) -> RetentionPolicy? {
        let allowed = ["closureReasons", "destroyWithinMonths", "destroyArticle", "anonymisedMayBeKept", "anonymisedArticle"]
        guard let map = node.map(allowed: allowed) else { return nil }
        let reasons = map.node("closureReasons").flatMap { reasons in
            list(reasons, allowed: ["id", "article"]) { reason -> RetentionPolicy.ClosureReason? in
                let id = reason.string("id"), article = reason.article()
                guard let id, let article else { return nil }
                return RetentionPolicy.ClosureReason(id: id, article: article)
            }
        }
        let months = map.int("destroyWithinMonths"), destroyArticle = map.string("destroyArticle")
        let keep = map.bool("anonymisedMayBeKept"), keepArticle = map.string("anonymisedArticle")
        guard let reasons, let months, let destroyArticle, let keep, let keepArticle else { return nil }
        if months < 0 || months > 12 {
            map.node("destroyWithinMonths")?.error("art. 9.2 allows at most 12 months after closure, found \(months)")
        }
        return RetentionPolicy(closureReasons: reasons, destroyWithinMonths: months, destroyArticle: destroyArticle,
                               anonymisedMayBeKept: keep, anonymisedArticle: keepArticle)
    }

    func rules(_ node: YAMLNode) -> [RuleDefinition]? {
        let result = list(node, allowed: ["id", "article", "reason"]) { map -> RuleDefinition? in
            let id = value(map.node("id"), RuleID.self, what: "rule")
            let article = map.article(), reason = map.string("reason")
            guard let id, let article, let reason else { return nil }
            return RuleDefinition(id: id, article: article, reason: reason)
        }
        guard let result else { return nil }
        checkUnique(result.map(\.id.rawValue), in: node, what: "rule")
        checkCovers(result.map(\.id), RuleID.self, node: node, what: "rule")
        // Indexed by RuleID order for the engine.
        return RuleID.allCases.compactMap { id in result.first { $0.id == id } }
    }
}
