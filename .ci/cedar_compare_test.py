#!/usr/bin/env python3
"""Tests of the part of the covenant that lives in .ci/cedar_compare.py and not in Cedar: which
givers' consents count for one field (docs/cedar.md), and the request shape Cedar receives.
Each test names the article it checks. Run: python3 .ci/cedar_compare_test.py"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cedar_compare  # noqa: E402


def request(forum="casusoverleg", question=None, consents=(), fields=("absence",), recipient=None):
    return {
        "sender": {"kind": "schoolbestuur"},
        "recipient": recipient or {"kind": "jgz"},
        "forum": forum, "purpose": "3.1.a", "fields": list(fields), "question": question,
        "pupil": {"age": 13, "duoMelding": False, "informed": True, "caseStatus": "open"},
        "consents": list(consents),
    }


def consent(givers, fields=("absence",), recipients=("jgz",), question=None, revoked=False):
    return {"givenBy": list(givers), "recipients": list(recipients), "fields": list(fields),
            "question": question, "revoked": revoked}


class ConsentProjectionTests(unittest.TestCase):
    def test_fn28_separate_consents_of_parent_and_pupil_add_up(self):
        facts = request(consents=[consent(["parent"]), consent(["pupil"])])
        self.assertEqual(cedar_compare.consent_givers(facts, "absence"), {"parent", "pupil"})

    def test_art_6_1_sub_d_a_revoked_consent_counts_for_nothing(self):
        facts = request(consents=[consent(["parent", "pupil"], revoked=True)])
        self.assertEqual(cedar_compare.consent_givers(facts, "absence"), set())

    def test_art_6_1_sub_b_consent_counts_only_for_its_fields_and_recipient_kinds(self):
        facts = request(consents=[consent(["parent"], fields=["name"]), consent(["pupil"], recipients=["swv"])])
        self.assertEqual(cedar_compare.consent_givers(facts, "absence"), set())

    def test_bijlage_3_2_sub_4_in_the_sot_only_a_consent_for_this_question_counts(self):
        unbound = request(forum="sot", question="gedrag", consents=[consent(["parent"])])
        other = request(forum="sot", question="gedrag", consents=[consent(["parent"], question="lezen")])
        same = request(forum="sot", question="gedrag", consents=[consent(["parent"], question="gedrag")])
        self.assertEqual(cedar_compare.consent_givers(unbound, "absence"), set())
        self.assertEqual(cedar_compare.consent_givers(other, "absence"), set())
        self.assertEqual(cedar_compare.consent_givers(same, "absence"), {"parent"})

    def test_bijlage_3_2_sub_4_outside_the_sot_a_question_bound_consent_counts_only_for_its_question(self):
        unbound = request(question="gedrag", consents=[consent(["parent"])])
        other = request(question="gedrag", consents=[consent(["parent"], question="lezen")])
        none = request(question=None, consents=[consent(["parent"], question="lezen")])
        self.assertEqual(cedar_compare.consent_givers(unbound, "absence"), {"parent"})
        self.assertEqual(cedar_compare.consent_givers(other, "absence"), set())
        self.assertEqual(cedar_compare.consent_givers(none, "absence"), set())


class RequestShapeTests(unittest.TestCase):
    def test_contract_the_gemeente_acts_as_leerplichtambtenaar_unless_another_role_is_named(self):
        self.assertEqual(cedar_compare.party_ref({"kind": "gemeente"}), "gemeente/leerplicht")
        self.assertEqual(cedar_compare.party_ref({"kind": "gemeente", "role": "jeugd-en-gezin"}),
                         "gemeente/jeugd-en-gezin")
        self.assertEqual(cedar_compare.party_ref({"kind": "swv"}), "swv")

    def test_contract_one_cedar_request_per_distinct_field_in_request_order(self):
        fields, requests = cedar_compare.cedar_requests(request(fields=["name", "religion", "name", "absence"]))
        self.assertEqual(fields, ["name", "religion", "absence"])
        self.assertEqual([r["resource"]["id"] for r in requests], fields)
        self.assertEqual(requests[0]["principal"], {"type": "Party", "id": "schoolbestuur"})
        self.assertNotIn("question", requests[0]["context"])   # null: absent, so `context has question` is false
        self.assertNotIn("caseType", requests[0]["context"])

    def test_art_7_1_no_field_asked_no_cedar_request(self):
        self.assertEqual(cedar_compare.cedar_requests(request(fields=[]))[1], [])


if __name__ == "__main__":
    unittest.main(verbosity=1)
