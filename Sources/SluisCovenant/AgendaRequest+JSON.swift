extension AgendaRequest {
    /// The agenda as contract JSON (`../shared/contract/agenda.md`), keys in contract order:
    /// for generated corpora, the benchmark and the gateway's document. `AgendaParser` reads it
    /// back to an equal request.
    public func json(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.beginObject()
        writer.string(meeting.description, key: "meeting")
        writer.string(purpose, key: "purpose")
        writer.beginArray(key: "participants")
        for participant in participants {
            writer.party(participant.party, id: participant.id, key: nil)
        }
        writer.endArray()
        writer.beginArray(key: "items")
        for item in items { writer.agendaItem(item) }
        writer.endArray()
        writer.endObject()
        return writer.output
    }
}

extension JSONWriter {
    mutating func agendaItem(_ item: AgendaItem) {
        beginObject()
        string(item.ref, key: "ref")
        if let purpose = item.purpose { string(purpose, key: "purpose") }
        string(item.caseType, key: "caseType")
        beginObject(key: "pupil")
        raw(String(item.pupil.age), key: "age")
        raw(String(item.pupil.duoMelding), key: "duoMelding")
        raw(String(item.pupil.informed), key: "informed")
        string(item.pupil.caseStatus.rawValue, key: "caseStatus")
        if let phase = item.pupil.phase { string(phase, key: "phase") }
        endObject()
        beginArray(key: "contributions")
        for contribution in item.contributions {
            beginObject()
            party(contribution.sender.party, id: contribution.sender.id, key: "sender")
            beginObject(key: "fields")
            for field in contribution.fields { string(field.text, key: field.name) }
            endObject()
            if !contribution.consents.isEmpty { consents(contribution.consents) }
            endObject()
        }
        endArray()
        endObject()
    }
}
