extension GatewayError {
    /// The stable codes of the gateway's errors: the `code` member of every problem+json answer
    /// (RFC 9457 §3.2), listed in docs/errors.md with status, meaning and what the client should
    /// do. A published code keeps its meaning: codes are added, never renamed or reused.
    public enum Code: String, Sendable, CaseIterable {
        // 401: who is asking is not established (convenant art. 10.2).
        case notLoggedIn = "sluis:not-logged-in"
        case tokenInvalid = "sluis:token-invalid"
        case loginFailed = "sluis:login-failed"
        case clientCertificateRequired = "sluis:client-certificate-required"
        // 403: established, but not allowed.
        case forbidden = "sluis:forbidden"
        case clientCertificateMismatch = "sluis:client-certificate-mismatch"
        case verzuimoverlegRecipient = "sluis:verzuimoverleg-recipient"
        case sessionRequired = "sluis:session-required"
        case selfDisclosure = "sluis:self-disclosure"
        case conflictOfDutiesNotProfessional = "sluis:conflict-of-duties-not-professional"
        case accessionApprovalMissing = "sluis:accession-approval-missing"
        case disclosureRefused = "sluis:disclosure-refused"
        // 404: unknown, or no relation to it (the same answer: no oracle).
        case caseNotFound = "sluis:case-not-found"
        case consentNotFound = "sluis:consent-not-found"
        case delegateNotFound = "sluis:delegate-not-found"
        case disclosureNotFound = "sluis:disclosure-not-found"
        case noticeNotFound = "sluis:notice-not-found"
        case accessionNotFound = "sluis:accession-not-found"
        case partyNotFound = "sluis:party-not-found"
        case checkpointNotFound = "sluis:checkpoint-not-found"
        case duoMeldingNotFound = "sluis:duo-melding-not-found"
        case sotQuestionNotFound = "sluis:sot-question-not-found"
        case verzuimoverlegListNotFound = "sluis:verzuimoverleg-list-not-found"
        case verzuimoverlegReferenceNotFound = "sluis:verzuimoverleg-reference-not-found"
        case tafelEntryNotFound = "sluis:tafel-entry-not-found"
        case agendaNotFound = "sluis:agenda-not-found"
        case minutesNotFound = "sluis:minutes-not-found"
        case rightsRequestNotFound = "sluis:rights-request-not-found"
        case registerEntryNotFound = "sluis:register-entry-not-found"
        case notFound = "sluis:not-found"
        // 409: the request contradicts the resource's state.
        case caseClosed = "sluis:case-closed"
        case duoMeldingOtherBoard = "sluis:duo-melding-other-board"
        case duoMeldingNumberTaken = "sluis:duo-melding-number-taken"
        case signalAnsweredAlready = "sluis:signal-answered-already"
        case duoMeldingStatusForwardOnly = "sluis:duo-melding-status-forward-only"
        case informingLimit = "sluis:informing-limit"
        case partyExists = "sluis:party-exists"
        case accessionNotProposed = "sluis:accession-not-proposed"
        case accessionApprovedAlready = "sluis:accession-approved-already"
        case consentRevokedAlready = "sluis:consent-revoked-already"
        case consentLapsed = "sluis:consent-lapsed"
        case giverAnsweredAlready = "sluis:giver-answered-already"
        case consentChanged = "sluis:consent-changed"
        case sotConsentMissing = "sluis:sot-consent-missing"
        case delegateSelf = "sluis:delegate-self"
        case usernameTaken = "sluis:username-taken"
        case partyInactive = "sluis:party-inactive"
        case beheerderExists = "sluis:beheerder-exists"
        case verzuimoverlegListEmpty = "sluis:verzuimoverleg-list-empty"
        case verzuimoverlegNoteLimit = "sluis:verzuimoverleg-note-limit"
        case duoMeldingPupilKeyMissing = "sluis:duo-melding-pupil-key-missing"
        case duoMeldingPupilKeyDiffers = "sluis:duo-melding-pupil-key-differs"
        case duoMeldingPupilKeyOnOtherCase = "sluis:duo-melding-pupil-key-on-other-case"
        case verzuimoverlegNothingToLink = "sluis:verzuimoverleg-nothing-to-link"
        case tafelListedAlready = "sluis:tafel-listed-already"
        case tafelCaseTypeDiffers = "sluis:tafel-case-type-differs"
        case tafelCaseTypeMissing = "sluis:tafel-case-type-missing"
        case tafelTextOfAnother = "sluis:tafel-text-of-another"
        case tafelNotListed = "sluis:tafel-not-listed"
        case tafelMeetingNotHeld = "sluis:tafel-meeting-not-held"
        case agendaSentAlready = "sluis:agenda-sent-already"
        case minutesSentAlready = "sluis:minutes-sent-already"
        case minutesSuperseded = "sluis:minutes-superseded"
        case caseRestricted = "sluis:case-restricted"
        case caseNotRestricted = "sluis:case-not-restricted"
        case rightsRequesterNotEntitled = "sluis:rights-requester-not-entitled"
        case rightsRequestDecided = "sluis:rights-request-decided"
        case rightsRequestWrongKind = "sluis:rights-request-wrong-kind"
        case rightsExtensionNotAllowed = "sluis:rights-extension-not-allowed"
        case portabilityNotConsentBased = "sluis:portability-not-consent-based"
        case rectificationNotSupplier = "sluis:rectification-not-supplier"
        // 412, 428: a send that must rest on the preview the sender saw (RFC 9110 §13.1.1; RFC 6585 §3).
        case previewChanged = "sluis:preview-changed"
        case previewRequired = "sluis:preview-required"
        // 400, 415, 422, 429
        case invalidInput = "sluis:invalid-input"
        case absenceFileMalformed = "sluis:absence-file-malformed"
        case unsupportedMediaType = "sluis:unsupported-media-type"
        case absenceFileRefused = "sluis:absence-file-refused"
        case loginLocked = "sluis:login-locked"
        // 503: not now; nothing was done.
        case registerUnavailable = "sluis:register-unavailable"
        case caseChanged = "sluis:case-changed"
        case certificateUnavailable = "sluis:certificate-unavailable"
        case storedDataDamaged = "sluis:stored-data-damaged"
        case loginBusy = "sluis:login-busy"
        case pdfRendererUnavailable = "sluis:pdf-renderer-unavailable"

        /// The not-found code for an authorization subject ("case", "notice 42", …): the first
        /// word names the kind of resource.
        static func notFound(subject: String) -> Code {
            switch subject.split(separator: " ").first ?? "" {
            case "case": .caseNotFound
            case "consent": .consentNotFound
            case "delegate": .delegateNotFound
            case "disclosure": .disclosureNotFound
            case "notice": .noticeNotFound
            case "accession": .accessionNotFound
            case "party": .partyNotFound
            case "list": .verzuimoverlegListNotFound
            case "reference": .verzuimoverlegReferenceNotFound
            case "entry": .tafelEntryNotFound
            case "agenda": .agendaNotFound
            case "minutes": .minutesNotFound
            case "rights-request": .rightsRequestNotFound
            default: .notFound
            }
        }
    }
}
