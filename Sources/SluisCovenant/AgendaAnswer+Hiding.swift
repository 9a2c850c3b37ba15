extension AgendaAnswer {
    /// What the text of a field looks like where `hiding(from:)` hides it.
    public static let hiddenText = "(verborgen: deze tekst mag de opsteller niet zelf ontvangen)"
    /// What another participant's reference looks like where `hiding(from:)` hides it.
    public static let hiddenReference = "(eigen kenmerk van de deelnemer)"

    /// The answer as the organisation `viewer` (the SWV's secretary who composes the agenda) may
    /// see it: its own view whole; in every other view a field's text only where the same text
    /// of the same item and name is in its own view, else `hiddenText`; and another
    /// participant's reference never (`hiddenReference`): a participant's own contribution is
    /// shown to that participant whole (contract agenda.md), but that is no release to the
    /// viewer, and a reference is that participant's alone. Which fields each participant gets,
    /// and every reason for what it does not, stay visible: that is what the preview is for.
    /// Pure; names, order and `withheld` are unchanged, only texts and references are replaced.
    public func hiding(from viewer: AgendaParty) -> AgendaAnswer {
        let own = views.first { $0.participant.isSameOrganisation(as: viewer) }
        var visible = Set<String>()
        for item in own?.items ?? [] {
            for field in item.fields { visible.insert(Self.key(item.ref, field)) }
        }
        var hidden = self
        for index in hidden.views.indices where !hidden.views[index].participant.isSameOrganisation(as: viewer) {
            for position in hidden.views[index].items.indices {
                var item = hidden.views[index].items[position]
                if item.reference != nil { item.reference = Self.hiddenReference }
                item.fields = item.fields.map { field in
                    visible.contains(Self.key(item.ref, field)) ? field : AgendaField(name: field.name, text: Self.hiddenText)
                }
                hidden.views[index].items[position] = item
            }
        }
        return hidden
    }

    static func key(_ ref: String, _ field: AgendaField) -> String { ref + "\u{0}" + field.name + "\u{0}" + field.text }
}
