#!/usr/bin/env python3
"""Asks Cedar (cedarpy) the covenant's question for every field of every decision request.

Input: a file of contract decision requests (../shared/contract/decision.md), one JSON object a
line, as `sluis-bench cedar` writes them. Output on stdout, one JSON object:
  {"requests": N, "authorizations": M, "seconds": S, "evaluationSeconds": V, "errors": E,
   "released": [[field, ...], ...]}
where `released[i]` are the fields of request i that Cedar allows, in request order,
`seconds` is the wall time of cedarpy's batch calls alone (building the Cedar requests is not
timed) and `evaluationSeconds` the sum of Cedar's own `authz_duration_micros` (the policy
evaluation without cedarpy's per-request JSON handling). The policy set, schema and entities are read from Policies/cedar (docs/cedar.md).

This script is written from the covenant and the contract, not from the Swift engine: it only
shapes each request's facts into Cedar's request form. One part of the covenant lives here and
not in Cedar, because Cedar cannot iterate or aggregate over a list: which givers' consents
count for a field (fn 28 at art. 13.1: separate consents of parent and pupil add up; art. 6.1
sub d and 11.5: a revoked consent counts for nothing; Bijlage 3.2 sub 4: in the SOT only a
consent for exactly this support question counts, elsewhere a question-bound consent counts
only for its own question). Which givers are *required* (by age) is decided in Cedar.
"""
import argparse
import json
import os
import sys
import time

import cedarpy


def party_ref(party):
    """`gemeente/leerplicht` (the contract's default role), `gemeente/jeugd-en-gezin`, or the kind."""
    kind = party["kind"]
    if kind == "gemeente":
        return "gemeente/" + party.get("role", "leerplicht")
    return kind


def distinct(names):
    """The requested names in request order, each once (a repeated name is one question)."""
    seen, result = set(), []
    for name in names:
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result


def consent_givers(request, field):
    """Who consented to `field` for the recipient's kind, as counted for this forum and question."""
    recipient_kind, question = request["recipient"]["kind"], request.get("question")
    question_bound_forum = request["forum"] == "sot"
    givers = set()
    for consent in request.get("consents", []):
        if consent.get("revoked", False):
            continue
        if recipient_kind not in consent["recipients"] or field not in consent["fields"]:
            continue
        bound = consent.get("question")
        if question_bound_forum:
            counts = bound is not None and bound == question
        else:
            counts = bound is None or bound == question
        if counts:
            givers.update(consent["givenBy"])
    return givers


def cedar_requests(request):
    """One Cedar request per distinct requested field."""
    sender, recipient, pupil = request["sender"], request["recipient"], request["pupil"]
    base = {
        "sender": party_ref(sender),
        "senderJoined": sender.get("joined", True),
        "recipient": party_ref(recipient),
        "recipientKind": recipient["kind"],
        "recipientJoined": recipient.get("joined", True),
        "forum": request["forum"],
        "purpose": request["purpose"],
        "age": pupil["age"],
        "duoMelding": pupil["duoMelding"],
        "informed": pupil["informed"],
        "caseOpen": pupil.get("caseStatus", "open") == "open",
        "conflictOfDuties": request.get("conflictOfDuties", False),
    }
    if request.get("question") is not None:
        base["question"] = request["question"]
    for key in ("phase", "caseType"):
        if pupil.get(key) is not None:
            base[key] = pupil[key]
    fields = distinct(request["fields"])
    result = []
    for field in fields:
        givers = consent_givers(request, field)
        context = dict(base, consent={"parent": "parent" in givers, "pupil": "pupil" in givers})
        result.append({
            "principal": {"type": "Party", "id": base["sender"]},
            "action": {"type": "Action", "id": "disclose"},
            "resource": {"type": "Field", "id": field},
            "context": context,
        })
    return fields, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", required=True, help="JSON lines of contract decision requests")
    parser.add_argument("--cedar", default="Policies/cedar", help="directory of the Cedar policy set")
    parser.add_argument("--chunk", type=int, default=20000, help="Cedar requests per batch call")
    args = parser.parse_args()

    def read(name):
        with open(os.path.join(args.cedar, name), encoding="utf-8") as handle:
            return handle.read()

    policies = cedarpy.PolicySet.from_str(read("covenant.cedar"))
    schema = cedarpy.Schema.from_str(read("sluis.cedarschema"))
    entities = cedarpy.Entities.from_json_str(read("entities.json"))

    owners, names, batch = [], [], []
    count = 0
    with open(args.requests, encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            fields, requests = cedar_requests(json.loads(line))
            owners.extend([index] * len(requests))
            names.extend(fields)
            batch.extend(requests)
            count += 1

    released = [[] for _ in range(count)]
    errors = 0
    seconds = evaluation = 0.0
    for start in range(0, len(batch), args.chunk):
        chunk = batch[start:start + args.chunk]
        began = time.perf_counter()
        results = cedarpy.is_authorized_batch(chunk, policies, entities, schema)
        seconds += time.perf_counter() - began
        for offset, result in enumerate(results):
            position = start + offset
            if result.diagnostics.errors:
                errors += 1
                print(f"cedar: request {owners[position]} field {names[position]}: {result.diagnostics.errors}", file=sys.stderr)
            evaluation += result.metrics.get("authz_duration_micros", 0) / 1e6
            if result.allowed:
                released[owners[position]].append(names[position])

    json.dump({"requests": count, "authorizations": len(batch), "seconds": seconds,
               "evaluationSeconds": evaluation, "errors": errors, "released": released}, sys.stdout)


if __name__ == "__main__":
    main()
