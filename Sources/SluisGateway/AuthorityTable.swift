public import SluisCovenant

/// Who may do what to which case, mailbox item, consent or register: the gateway's own rules,
/// next to the covenant's (which the decision engine holds). One table, consulted by every use
/// case through `Gateway.authorize`, documented in docs/authorization.md, and the source the
/// authorization-matrix test is generated from. Each rule names its article or reason.
public enum GatewayAction: String, CaseIterable, Sendable {
    case listParties = "list-parties"
    case me
    case issueSystemToken = "issue-system-token"
    case decide
    case createCase = "create-case"
    case listCases = "list-cases"
    case viewCase = "view-case"
    case recordFacts = "record-facts"
    case changePhase = "change-phase"
    case changeCaseType = "change-case-type"
    case closeCase = "close-case"
    case recordDuoMelding = "record-duo-melding"
    case listDuoMeldingen = "list-duo-meldingen"
    case setDuoMeldingStatus = "set-duo-melding-status"
    case recordInforming = "record-informing"
    case recordConsent = "record-consent"
    case recordConsentAnswer = "record-consent-answer"
    case listConsents = "list-consents"
    case viewConsent = "view-consent"
    case revokeConsent = "revoke-consent"
    case askSotQuestion = "ask-sot-question"
    case listSotQuestions = "list-sot-questions"
    case recordSotNote = "record-sot-note"
    case readSotNotes = "read-sot-notes"
    case giveCjgFeedback = "give-cjg-feedback"
    case disclose
    case invokeConflictOfDuties = "invoke-conflict-of-duties"
    case readMailbox = "read-mailbox"
    case acknowledgeNotice = "acknowledge-notice"
    case fetchBundle = "fetch-bundle"
    case acknowledgeBundle = "acknowledge-bundle"
    case inspectRegister = "inspect-register"
    case exportRegisterLDV = "export-register-ldv"
    case reviewConflictsOfDuties = "review-conflicts-of-duties"
    case readCheckpoint = "read-checkpoint"
    case inspectRetention = "inspect-retention"
    case readStatistics = "read-statistics"
    case listDelegates = "list-delegates"
    case createDelegate = "create-delegate"
    case manageDelegate = "manage-delegate"
    case listAccessions = "list-accessions"
    case proposeAccession = "propose-accession"
    case approveAccession = "approve-accession"
    case completeAccession = "complete-accession"
    case importAbsence = "import-absence"
    case readAbsenceSignals = "read-absence-signals"
    case prepareVerzuimoverleg = "prepare-verzuimoverleg"
    case shareVerzuimoverleg = "share-verzuimoverleg"
    case readVerzuimoverleg = "read-verzuimoverleg"
    case noteVerzuimoverleg = "note-verzuimoverleg"
    case linkVerzuimoverleg = "link-verzuimoverleg"
    case registerOnTafel = "register-thuiszitterstafel"
    case listTafel = "list-thuiszitterstafel"
    case writeTafelTexts = "write-thuiszitterstafel-texts"
    case appointProcesbewaker = "appoint-procesbewaker"
    case afschalingTafel = "afschaling-thuiszitterstafel"
    case composeAgenda = "compose-thuiszitterstafel"
    case sendAgenda = "send-thuiszitterstafel"
    case listRightsRequests = "list-rights-requests"
    case handleRightsRequest = "handle-rights-request"
    case rectifyData = "rectify-data"
    case inspectRightsRequests = "inspect-rights-requests"
    case inzage
    case queryRegisterCase = "query-register-case"
    case queryRegisterSubject = "query-register-subject"
}

/// How the acting party stands to the thing acted on. A party that does not take part in a
/// case, or to which a mailbox item is not addressed, is not told the thing exists (404).
public enum GatewayRelation: String, CaseIterable, Sendable {
    /// The party takes part in the case (art. 7.3).
    case participant
    /// The party brought the case in (and with it the pupil's identity): casusregie.
    case owner
    /// The party convenes the forum the case is in (the SWV for the thuiszitterstafel, Bijlage 3.3).
    case convener
    /// The party obtained and holds the consent (art. 6.1 sub c).
    case holder
    /// The party takes part in the case in a kind (and role) the SOT has as participant
    /// (`Policies/forums.yaml`, Bijlage 3.2 sub 1): a member of the school's SOT for this pupil.
    case sotMember = "sot-member"
    /// The disclosure or notice was addressed to this party and, at a gemeente, to this delegate's role.
    case addressee
    /// The delegate acted on belongs to the acting delegate's own party.
    case colleague
    /// A DUO melding in the case showed the party's unit the pupil's identity: the engine
    /// permitted the re-identification for the leerplicht (protocol 5.4, Lpw art. 21a).
    case reidentified
}

/// What a rule asks of the relation, beyond the role.
public enum GatewayRequirement: Sendable, Equatable {
    /// Nothing case-bound.
    case none
    /// Taking part in the case; then any of these relations (empty: taking part suffices).
    case participant(anyOf: Set<GatewayRelation>)
    /// The mailbox item is addressed to the party and role.
    case addressee
    /// The delegate acted on is of the same party.
    case colleague
}

public struct AuthorityRule: Sendable {
    public let action: GatewayAction
    public let roles: Set<DelegateRole>
    /// Restricts to delegates of these party kinds (nil: any kind the role exists at).
    public let partyKinds: Set<PartyKind>?
    public let requirement: GatewayRequirement
    /// The article or reason, shown in a 403 and in docs/authorization.md.
    public let article: String
    public let summary: String
}

/// The outcome of consulting the table.
public enum AuthorityOutcome: Sendable, Equatable {
    case allowed
    /// 403 with the rule's article.
    case forbidden(String)
    /// 404: the party has no relation to the thing, so it is not told it exists.
    case notFound
}

public enum AuthorityTable {
    static let caseWorkers: Set<DelegateRole> = Set(DelegateRole.allCases.filter(\.worksOnCases))
    static let everyone: Set<DelegateRole> = Set(DelegateRole.allCases)
    /// Who puts pupils on the thuiszitterstafel list (verzuimprotocol hoofdstuk 5: "Kernteams,
    /// leerplichtambtenaren en jeugdartsen"): the kernteams come from the SWV (fn 7), whose
    /// case-working role here is the swv-secretaris; the CJG's jeugdarts, not its
    /// jeugdverpleegkundige (the source names jeugdartsen; interpretation, docs/agenda.md).
    static let tafelRegistrars: Set<DelegateRole> = [.swvSecretaris, .leerplichtambtenaar, .jeugdarts]

    public static let rules: [AuthorityRule] = [
        AuthorityRule(action: .listParties, roles: everyone, partyKinds: nil, requirement: .none,
                      article: "convenant art. 18.3", summary: "every delegate sees who the parties are"),
        AuthorityRule(action: .me, roles: everyone, partyKinds: nil, requirement: .none,
                      article: "convenant art. 10.2", summary: "every delegate sees who it is logged in as"),
        AuthorityRule(action: .issueSystemToken, roles: everyone, partyKinds: nil, requirement: .none,
                      article: "convenant art. 10.2", summary: "a person logged in with both factors issues a token for a system of its party"),
        AuthorityRule(action: .decide, roles: everyone, partyKinds: nil, requirement: .none,
                      article: "convenant art. 15.1", summary: "a dry run discloses nothing; the question is on the register"),
        AuthorityRule(action: .createCase, roles: caseWorkers, partyKinds: nil, requirement: .none,
                      article: "convenant art. 7.3", summary: "a case worker brings a pupil in; its party owns the case"),
        AuthorityRule(action: .listCases, roles: caseWorkers, partyKinds: nil, requirement: .none,
                      article: "convenant art. 7.3", summary: "a case worker sees the cases its party takes part in"),
        AuthorityRule(action: .viewCase, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: []),
                      article: "convenant art. 7.3", summary: "the case, with the party's own reference and its own data only"),
        AuthorityRule(action: .recordFacts, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: []),
                      article: "convenant art. 3.4 sub c; art. 8.1",
                      summary: "a party records its own data about the case; it stays that party's (provenance)"),
        AuthorityRule(action: .changePhase, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.owner, .convener]),
                      article: "convenant art. 3.4 sub b; Bijlage 3.3",
                      summary: "the party that brought the case in, or the convener of the forum it is in"),
        AuthorityRule(action: .changeCaseType, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.owner, .convener]),
                      article: "verzuimprotocol hoofdstuk 5 (tabel thuiszitterstafel); Bijlage 3.3",
                      summary: "the party that brought the case in, or the convener of the forum it is in"),
        AuthorityRule(action: .closeCase, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.owner]),
                      article: "convenant art. 5.5",
                      summary: "the party that brought the case in (casusregie): closing is final and starts the destruction term (art. 9.2), so no other party's step can end the case; the SWV takes a pupil off its list by afschaling"),
        AuthorityRule(action: .recordDuoMelding, roles: [.zorgcoordinator], partyKinds: [.schoolbestuur], requirement: .participant(anyOf: [.owner]),
                      article: "Leerplichtwet art. 21a; convenant art. 3.4 sub c, art. 4.3; verzuimprotocol 5.4",
                      summary: "only the school board that brought the pupil in records the melding (the identity it unlocks is the one it supplied), with its date, kind, DUO reference and its own pupil key (also given later, once) — never the party it unlocks"),
        AuthorityRule(action: .listDuoMeldingen, roles: [.zorgcoordinator, .leerplichtambtenaar], partyKinds: [.schoolbestuur, .gemeente],
                      requirement: .participant(anyOf: []),
                      article: "Leerplichtwet art. 21a; verzuimprotocol 5.5.2 (afdoening cc naar de school)",
                      summary: "the school board sees the meldingen it made and their status, the leerplichtambtenaar every melding of the case; nobody else"),
        AuthorityRule(action: .setDuoMeldingStatus, roles: [.leerplichtambtenaar], partyKinds: [.gemeente], requirement: .participant(anyOf: []),
                      article: "verzuimprotocol 5.5.2–5.5.4 (onderzoek en afdoening door de leerplichtambtenaar)",
                      summary: "the leerplichtambtenaar in the case moves a melding forward: received → in-behandeling → afgesloten, never back"),
        AuthorityRule(action: .recordInforming, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: []),
                      article: "convenant art. 12.1–12.2", summary: "a party records that it informed the pupil/parents (its own act)"),
        AuthorityRule(action: .recordConsent, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: []),
                      article: "convenant art. 6.1 sub c", summary: "the party that obtained a consent records it; it holds it"),
        AuthorityRule(action: .recordConsentAnswer, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.holder]),
                      article: "convenant art. 6.1 sub b–c; art. 13.1 fn 28",
                      summary: "the party that holds the consent records each giver's answer on its own, with its evidence"),
        AuthorityRule(action: .listConsents, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: []),
                      article: "convenant art. 6.1 sub c; art. 7.1", summary: "a party sees the consents it holds"),
        AuthorityRule(action: .viewConsent, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.holder]),
                      article: "convenant art. 6.1 sub c; art. 11.5",
                      summary: "the holder sees a consent's state and, after a revocation, whom the notice reached and when it was acknowledged"),
        AuthorityRule(action: .revokeConsent, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.holder]),
                      article: "convenant art. 6.1 sub d; art. 11.5", summary: "the party that holds the consent records its revocation"),
        AuthorityRule(action: .askSotQuestion, roles: [.zorgcoordinator], partyKinds: [.schoolbestuur], requirement: .participant(anyOf: []),
                      article: "Bijlage 3.2 sub 3–4",
                      summary: "the school, which directs the SOT, puts a clearly described support question to it"),
        AuthorityRule(action: .listSotQuestions, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.sotMember]),
                      article: "Bijlage 3.2 sub 1 en 4", summary: "the SOT's members in the case see its questions"),
        AuthorityRule(action: .recordSotNote, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.sotMember]),
                      article: "Bijlage 3.2 sub 4",
                      summary: "a member of the SOT notes what was discussed on a question that has consent"),
        AuthorityRule(action: .readSotNotes, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.sotMember]),
                      article: "Bijlage 3.2 sub 4; convenant art. 7.3", summary: "only the SOT's members in the case read its notes"),
        AuthorityRule(action: .giveCjgFeedback, roles: [.jeugdverpleegkundige, .jeugdarts], partyKinds: [.jgz], requirement: .participant(anyOf: []),
                      article: "verzuimprotocol 5.5.4 procedure CJG sub 4; Bijlage 4",
                      summary: "without consent the CJG tells the school only that a conversation took place, nothing of its content"),
        AuthorityRule(action: .disclose, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: []),
                      article: "convenant art. 3.4 sub c; art. 14.2",
                      summary: "a party discloses only data it supplied itself, never to itself; the covenant decides what goes"),
        // Art. 6.1 sub e sits in an article about consent "voor het doorbreken van
        // geheimhoudingsbepalingen": a conflict of duties is a professional secrecy giving way.
        // Of the covenant's roles those bound by one it names: the CJG's jeugdarts and
        // jeugdverpleegkundige (Wgbo, Wet BIG; protocol 5.5.4 sub 8), the jeugdhulpverlener
        // (Jeugdwet 7.3.11, beroepscode). Not the school's zorgcoördinator, the leerplicht-
        // ambtenaar or the SWV's secretaris (no such secrecy: where they need consent it is the
        // AVG's, which no conflict of duties lifts), not the consulent jeugd en gezin (the
        // gemeente's public task, art. 4; interpretation, fail closed), nor FG or beheerder.
        AuthorityRule(action: .invokeConflictOfDuties, roles: [.jeugdverpleegkundige, .jeugdarts, .jeugdhulpverlener],
                      partyKinds: [.jgz, .jeugdhulpaanbieder], requirement: .participant(anyOf: []),
                      article: "convenant art. 6.1 sub e; art. 6.1 (Wgbo art. 7:457 BW, Jeugdwet art. 7.3.11, Wet BIG art. 88)",
                      summary: "a professional bound by a secrecy of art. 6.1 discloses without consent only with a written professional justification; marked on the register for the FG"),
        AuthorityRule(action: .readMailbox, roles: caseWorkers, partyKinds: nil, requirement: .none,
                      article: "convenant art. 7.3; art. 10", summary: "what was disclosed to the party, for the role it was addressed to"),
        AuthorityRule(action: .acknowledgeNotice, roles: caseWorkers, partyKinds: nil, requirement: .addressee,
                      article: "convenant art. 11.5; art. 6.1",
                      summary: "the addressed party and role acknowledge a notice: a revocation (art. 11.5), or to a holder a consent's renewal or end"),
        AuthorityRule(action: .fetchBundle, roles: caseWorkers, partyKinds: nil, requirement: .addressee,
                      article: "convenant art. 7.3; art. 10", summary: "only the addressed party and role"),
        AuthorityRule(action: .acknowledgeBundle, roles: caseWorkers, partyKinds: nil, requirement: .addressee,
                      article: "convenant art. 7.3; art. 10", summary: "only the addressed party and role"),
        AuthorityRule(action: .inspectRegister, roles: [.fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 15.2–15.3", summary: "the FG inspects its own party's register entries"),
        AuthorityRule(action: .exportRegisterLDV, roles: [.fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 15.2–15.3",
                      summary: "the FG fetches its own party's register entries as Logboek Dataverwerkingen records"),
        AuthorityRule(action: .reviewConflictsOfDuties, roles: [.fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 6.1 sub e; art. 15.2–15.3; AVG art. 38 lid 5, art. 39",
                      summary: "the FG lists its own party's disclosures on a conflict of duties and reads their written justifications, to check them; every read is on the register"),
        AuthorityRule(action: .readCheckpoint, roles: [.fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 15.2", summary: "the FG saves signed checkpoints to check the register later"),
        AuthorityRule(action: .inspectRetention, roles: [.fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 9.2; art. 15.2–15.3",
                      summary: "the FG sees which of its own party's cases are held past a term the policy names, by register pseudonym, and why; the view is on the register"),
        AuthorityRule(action: .readStatistics, roles: [.swvSecretaris, .fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 9.3; Bijlage 3.3 sub 1; art. 15.2",
                      summary: "the SWV, at whose level the thuiszitterstafel works, and every FG read the anonymised counts per quarter (cells under 5 suppressed); nobody reads a case through them"),
        AuthorityRule(action: .listDelegates, roles: [.beheerder], partyKinds: nil, requirement: .none,
                      article: "convenant art. 7.3; art. 10.2", summary: "the beheerder manages its own party's delegates"),
        AuthorityRule(action: .createDelegate, roles: [.beheerder], partyKinds: nil, requirement: .none,
                      article: "convenant art. 7.3; art. 10.2", summary: "the beheerder manages its own party's delegates"),
        AuthorityRule(action: .manageDelegate, roles: [.beheerder], partyKinds: nil, requirement: .colleague,
                      article: "convenant art. 10.2; Bijlage 2",
                      summary: "the beheerder disables, enables or resets a delegate of its own party and ends its sessions and tokens"),
        AuthorityRule(action: .listAccessions, roles: everyone, partyKinds: nil, requirement: .none,
                      article: "convenant art. 18.3", summary: "every party sees who is acceding"),
        AuthorityRule(action: .proposeAccession, roles: [.beheerder], partyKinds: [.gemeente], requirement: .none,
                      article: "convenant art. 18; Bijlage 1", summary: "the gemeente asks a contracted jeugdhulpaanbieder to accede"),
        AuthorityRule(action: .approveAccession, roles: [.beheerder], partyKinds: [.gemeente, .swv], requirement: .none,
                      article: "convenant art. 18.1", summary: "gemeente and SWV each approve beforehand"),
        AuthorityRule(action: .completeAccession, roles: [.beheerder], partyKinds: [.gemeente], requirement: .none,
                      article: "convenant art. 18.2–18.3", summary: "the gemeente records the signed form"),
        AuthorityRule(action: .importAbsence, roles: [.zorgcoordinator], partyKinds: [.schoolbestuur], requirement: .none,
                      article: "verzuimprotocol 5.3; convenant art. 15.1",
                      summary: "a school board imports its own absence registrations, a whole file or nothing: its own processing, not a disclosure"),
        AuthorityRule(action: .readAbsenceSignals, roles: [.zorgcoordinator], partyKinds: [.schoolbestuur], requirement: .none,
                      article: "verzuimprotocol 5.4–5.5; Bijlage 4",
                      summary: "a school board sees the signals due on its own registrations, under its own pupil keys"),
        AuthorityRule(action: .prepareVerzuimoverleg, roles: [.zorgcoordinator], partyKinds: [.schoolbestuur], requirement: .none,
                      article: "verzuimprotocol 5.4.1; Bijlage 3.1 sub 3",
                      summary: "a school board filters its own pupils for the verzuimoverleg and sees its own lists, under its own keys"),
        AuthorityRule(action: .shareVerzuimoverleg, roles: [.zorgcoordinator], partyKinds: [.schoolbestuur], requirement: .none,
                      article: "verzuimprotocol 5.4.1; Bijlage 3.1 sub 1 en 4",
                      summary: "a school board shares its list, without personal data, with the leerplichtambtenaar and the jeugdverpleegkundige only; the covenant decides per pupil"),
        AuthorityRule(action: .readVerzuimoverleg, roles: [.leerplichtambtenaar, .jeugdverpleegkundige], partyKinds: nil, requirement: .addressee,
                      article: "verzuimprotocol 5.4.1; Bijlage 3.1 sub 1 en 4",
                      summary: "a recipient reads the lists shared with its unit, each pupil under a reference of its own"),
        AuthorityRule(action: .noteVerzuimoverleg, roles: [.leerplichtambtenaar, .jeugdverpleegkundige], partyKinds: nil, requirement: .addressee,
                      article: "verzuimprotocol 5.4; Bijlage 3.1 sub 4",
                      summary: "a recipient keeps notes of its own on a reference it received, visible to its own unit only"),
        AuthorityRule(action: .linkVerzuimoverleg, roles: [.leerplichtambtenaar], partyKinds: [.gemeente], requirement: .participant(anyOf: [.reidentified]),
                      article: "verzuimprotocol 5.4, 5.4.1; Bijlage 3.1 (anoniem met leerplicht zolang er geen DUO-melding is) en sub 5",
                      summary: "after a DUO melding showed it the pupil, the leerplichtambtenaar in the case links its own earlier anonymous discussion (the counts and its notes under its reference) to the case, on the register; never the jeugdverpleegkundige, for whom only the parents' consent lifts the anonymity"),
        AuthorityRule(action: .registerOnTafel, roles: tafelRegistrars, partyKinds: [.swv, .gemeente, .jgz], requirement: .participant(anyOf: []),
                      article: "verzuimprotocol hoofdstuk 5 (kernteams, leerplichtambtenaren en jeugdartsen; fn 7: de kernteams komen vanuit het SWV); Bijlage 3.3 sub 5",
                      summary: "the SWV's kernteam (its swv-secretaris), a leerplichtambtenaar or a jeugdarts taking part in the case puts the pupil on the list, with the case type and a very short description; a school registers with the kernteam, not on the list itself"),
        AuthorityRule(action: .listTafel, roles: tafelRegistrars, partyKinds: [.swv, .gemeente, .jgz], requirement: .none,
                      article: "Bijlage 3.3 sub 1 en 3; convenant art. 7.3",
                      summary: "the entries of the open cases the unit takes part in, under its own case references; a text only to the unit that wrote it"),
        AuthorityRule(action: .writeTafelTexts, roles: tafelRegistrars, partyKinds: [.swv, .gemeente, .jgz], requirement: .participant(anyOf: []),
                      article: "Bijlage 3.3 sub 4 (zeer korte casusbeschrijving en proces voortgangsbeschrijving); convenant art. 3.4 sub c",
                      summary: "a registrar taking part in the case writes the description or the progress of an entry on the list; the text is that unit's contribution to the agenda"),
        AuthorityRule(action: .appointProcesbewaker, roles: [.swvSecretaris], partyKinds: [.swv], requirement: .participant(anyOf: [.convener]),
                      article: "Bijlage 3.3 sub 2, 3 en 5 (casusoverleg: procesbewaker aanstellen; SWV GO heeft de regie)",
                      summary: "the SWV records the procesbewaker the table appointed: a case-working delegate of a participant of the thuiszitterstafel"),
        AuthorityRule(action: .afschalingTafel, roles: [.swvSecretaris], partyKinds: [.swv], requirement: .participant(anyOf: [.convener]),
                      article: "Bijlage 3.3 sub 5 (afschaling: weer volledig in het onderwijs of in arbeid) en sub 3 (SWV GO heeft de regie)",
                      summary: "the SWV takes the pupil off the list, with the reason; closing the case (art. 5.5) takes it off as well"),
        AuthorityRule(action: .composeAgenda, roles: [.swvSecretaris], partyKinds: [.swv], requirement: .none,
                      article: "Bijlage 3.3 sub 1 (SWV GO maakt vooraf de agenda en verzorgt de notulen) en sub 4",
                      summary: "the SWV composes an agenda from its list, writes the minutes and previews every participant's view, with every text the SWV may not receive itself hidden"),
        AuthorityRule(action: .sendAgenda, roles: [.swvSecretaris], partyKinds: [.swv], requirement: .none,
                      article: "Bijlage 3.3 sub 4 (beveiligd gemaild aan deelnemers); convenant art. 10, art. 15.1",
                      summary: "the SWV sends the agenda or minutes it previewed: one sealed view per participant into its mailbox, each a disclosure on the register, all in one commit or none"),
        // Art. 13.1 sub a: "de regisseur van het overleg (als bedoeld in paragraaf 3 van bijlage
        // 3)". Paragraph 3 of each checklist names the procesregisseur: the school for the SOT
        // (3.2) and the verzuimoverleg (3.1), the SWV for the thuiszitterstafel (3.3). In Sluis:
        // the party that brought the case in, or the convener of the forum it is in — the
        // relations that already decide a case's phase and closure (docs/rights.md).
        AuthorityRule(action: .listRightsRequests, roles: caseWorkers, partyKinds: nil, requirement: .none,
                      article: "convenant art. 13.1 sub a, 13.2; Bijlage 3 par. 3",
                      summary: "a case worker sees the rights requests its unit recorded and handles, about the cases it convenes, with their deadlines and days left"),
        AuthorityRule(action: .handleRightsRequest, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.owner, .convener]),
                      article: "convenant art. 13.1–13.2 (fn 28–31); Bijlage 3 par. 3; AVG art. 12 lid 3",
                      summary: "the convener (the party that brought the case in, or the forum's convener) records a request, extends its deadline once, decides it — a refusal with its UAVG art. 41 ground — and records its delivery; restriction, erasure and export follow from its decision"),
        AuthorityRule(action: .rectifyData, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: []),
                      article: "convenant art. 8.1; art. 13.1 sub b; AVG art. 16, 19",
                      summary: "under a request for rectification, the party that supplied a field corrects it; every recipient of the wrong value is told"),
        AuthorityRule(action: .inspectRightsRequests, roles: [.fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 13, art. 15.2–15.3; AVG art. 38 lid 4, art. 39",
                      summary: "the FG sees every rights request about its own party's cases by register pseudonym, no name, the overdue ones flagged; the view is on the register"),
        // Art. 13.1 sub a: the request goes to "de regisseur van het overleg (als bedoeld in
        // paragraaf 3 van bijlage 3)", who takes it up with the other parties (13.2). Paragraph 3
        // names the regie per forum: the school for the verzuimoverleg and the SOT, the SWV for
        // the thuiszitterstafel — here the party that brought the case in (casusregie) or the
        // forum's convener. Not the FG: it supervises (art. 15.2) and reads the register, not the
        // case's contents (interpretation, docs/rights.md).
        AuthorityRule(action: .inzage, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.owner, .convener]),
                      article: "convenant art. 13.1 sub a en 13.2; Bijlage 3 paragraaf 3 (de regisseur van het overleg); fn 27",
                      summary: "the regisseur of the case meeting — the party that brought the case in or the forum's convener — makes the inzage report of everything Sluis holds about the pupil and every register entry about it, for the pupil or parents; the report is on the register"),
        AuthorityRule(action: .queryRegisterCase, roles: caseWorkers, partyKinds: nil, requirement: .participant(anyOf: [.owner, .convener]),
                      article: "convenant art. 13.1 sub a; Bijlage 3 paragraaf 3; fn 27 (wie welke informatie over het kind deelt en registreert)",
                      summary: "the regisseur reads the register's entries about the pupil of its case, by period and page, as Logboek Dataverwerkingen records; no other pupil's entry; each query is on the register"),
        AuthorityRule(action: .queryRegisterSubject, roles: [.fg], partyKinds: nil, requirement: .none,
                      article: "convenant art. 15.2–15.3; art. 13.1 sub a",
                      summary: "the FG reads its own party's register entries about one pupil, by register pseudonym, period and page, as Logboek Dataverwerkingen records; each query is on the register"),
    ]

    /// The table as Markdown, for docs/authorization.md (a test keeps the two the same).
    public static var markdown: String {
        func roles(_ rule: AuthorityRule) -> String {
            if rule.roles == everyone { return "every delegate" }
            if rule.roles == caseWorkers { return "case workers" }
            return DelegateRole.allCases.filter(rule.roles.contains).map(\.rawValue).joined(separator: ", ")
        }
        func relation(_ rule: AuthorityRule) -> String {
            switch rule.requirement {
            case .none: return "—"
            case .addressee: return "addressee (party and role)"
            case .colleague: return "a delegate of the same party"
            case .participant(let anyOf) where anyOf.isEmpty: return "participant"
            case .participant(let anyOf): return "participant and " + GatewayRelation.allCases.filter(anyOf.contains).map(\.rawValue).joined(separator: " or ")
            }
        }
        var lines = ["| action | who | of party kinds | relation to the case or item | article | what it means |",
                     "| --- | --- | --- | --- | --- | --- |"]
        for rule in rules {
            let kinds = rule.partyKinds.map { kinds in PartyKind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: ", ") } ?? "any"
            lines.append("| `\(rule.action.rawValue)` | \(roles(rule)) | \(kinds) | \(relation(rule)) | \(rule.article) | \(rule.summary) |")
        }
        return lines.joined(separator: "\n")
    }

    static let byAction: [GatewayAction: AuthorityRule] = Dictionary(uniqueKeysWithValues: rules.map { ($0.action, $0) })

    public static func rule(_ action: GatewayAction) -> AuthorityRule { byAction[action]! }

    /// The outcome for a delegate of `role` at a party of `partyKind` standing in `relations` to
    /// the thing acted on. The role is checked first (403: it says nothing about the thing),
    /// then whether the party has anything to do with it (404), then the relation asked (403).
    public static func decide(_ action: GatewayAction, role: DelegateRole, partyKind: PartyKind,
                              relations: Set<GatewayRelation>) -> AuthorityOutcome {
        let rule = rule(action)
        guard rule.roles.contains(role), rule.partyKinds?.contains(partyKind) ?? true else { return .forbidden(rule.article) }
        switch rule.requirement {
        case .none:
            return .allowed
        case .addressee:
            return relations.contains(.addressee) ? .allowed : .notFound
        case .colleague:
            return relations.contains(.colleague) ? .allowed : .notFound
        case .participant(let anyOf):
            guard relations.contains(.participant) else { return .notFound }
            return anyOf.isEmpty || !anyOf.isDisjoint(with: relations) ? .allowed : .forbidden(rule.article)
        }
    }
}

/// Gateway rules cited in answers next to the engine's (same shape as the policy's rules).
public enum GatewayRules {
    /// A party discloses only what it supplied itself; what it received is for its own task in
    /// that case (art. 3.4 sub c, 11.4, 14.2).
    public static let notSuppliedBySender = RuleCitation(
        rule: "not-supplied-by-sender", article: "convenant art. 3.4 sub c; art. 11.4; art. 14.2",
        reason: "Dit gegeven is niet door de verstrekkende partij zelf ingebracht; alleen de partij die het inbracht beslist over verdere verstrekking.")
}
