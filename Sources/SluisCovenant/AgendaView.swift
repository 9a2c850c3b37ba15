/// The preview's answer (`../shared/contract/agenda.md`): one view per participant, in the
/// request's participant order.
public struct AgendaAnswer: Sendable, Hashable {
    public var views: [AgendaView]

    public init(views: [AgendaView]) { self.views = views }

    /// The contract's JSON, keys in contract order (deterministic: the same request and
    /// references give the same bytes).
    public func json(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.beginObject()
        writer.beginArray(key: "views")
        for view in views { writer.view(view) }
        writer.endArray()
        writer.endObject()
        return writer.output
    }
}

/// What one participant gets: every item of the agenda, each minimised for it.
public struct AgendaView: Sendable, Hashable {
    public var participant: AgendaParty
    /// In the agenda's item order.
    public var items: [AgendaViewItem]

    public init(participant: AgendaParty, items: [AgendaViewItem]) {
        self.participant = participant
        self.items = items
    }

    /// This view alone as JSON (the object of `views[]`): what is sealed for the participant.
    public func json(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.view(self)
        return writer.output
    }
}

/// One pupil in one participant's view.
public struct AgendaViewItem: Sendable, Hashable {
    /// The SWV's list number, as on the agenda.
    public var ref: String
    /// `identified` only when the participant may see the pupil's name from some contribution.
    public var identity: DecisionAnswer.Identity
    /// When pseudonymised: the participant's own reference for the pupil, never another's.
    public var reference: String?
    /// Field name on the agenda → text, contributions in order, fields in order.
    public var fields: [AgendaField]
    /// Every field of a contribution that is not shown, with the engine's citation.
    public var withheld: [AgendaWithheld]

    public init(ref: String, identity: DecisionAnswer.Identity, reference: String?, fields: [AgendaField],
                withheld: [AgendaWithheld]) {
        self.ref = ref
        self.identity = identity
        self.reference = reference
        self.fields = fields
        self.withheld = withheld
    }
}

/// A field not shown: its name on the agenda, whose contribution it was, and why (the engine's
/// rule, article and Dutch reason).
public struct AgendaWithheld: Sendable, Hashable {
    public var field: String
    public var sender: AgendaParty
    public var citation: RuleCitation

    public init(field: String, sender: AgendaParty, citation: RuleCitation) {
        self.field = field
        self.sender = sender
        self.citation = citation
    }
}

extension JSONWriter {
    mutating func view(_ view: AgendaView) {
        beginObject()
        party(view.participant.party, id: view.participant.id, key: "participant")
        beginArray(key: "items")
        for item in view.items {
            beginObject()
            string(item.ref, key: "ref")
            string(item.identity.rawValue, key: "identity")
            if let reference = item.reference { string(reference, key: "reference") }
            beginObject(key: "fields")
            for field in item.fields { string(field.text, key: field.name) }
            endObject()
            beginArray(key: "withheld")
            for entry in item.withheld {
                beginObject()
                string(entry.field, key: "field")
                party(entry.sender.party, id: entry.sender.id, key: "sender")
                citation(entry.citation)
                endObject()
            }
            endArray()
            endObject()
        }
        endArray()
        endObject()
    }
}
