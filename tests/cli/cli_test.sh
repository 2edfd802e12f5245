#!/usr/bin/env bash
# End-to-end checks of the orggov command: exit codes and outputs of
# scenario --save (and the histories it keeps), authorize (flags, stdin, --batch --stats), explain, policy lint, demo.
#   tests/cli/cli_test.sh ORGGOV_BINARY
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_rc() { local want=$1; shift; set +e; "$@" > "$work/out" 2> "$work/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$work/out" "$work/err" >&2; fail "$* exited $rc, expected $want"; }; }

expect_rc 0 "$bin" scenario --save "$work/snap.json" "$here/../scenarios/policy_evaluation.json"
[ -s "$work/snap.json" ] || fail "no snapshot written"
# the snapshot loads back and the world decides as it did at the end of the scenario
cat > "$work/scp.json" <<'JSON'
{"name": "cli", "world": {"now": "2026-11-01T00:00:00Z",
  "entities": [{"id": "E1", "name": "x", "kind": "legal_person"}],
  "accounts": [{"uin": "1", "entity": "E1", "verified": true}, {"uin": "2", "entity": "E1", "verified": true}]},
 "steps": [
  {"do": {"op": "create_organization", "org": "o", "account": "1"}},
  {"do": {"op": "invite_member", "org": "o", "account": "2"}},
  {"do": {"op": "accept_invitation", "org": "o", "account": "2"}},
  {"do": {"op": "enable_policy_type", "org": "o"}},
  {"do": {"op": "create_policy", "org": "o", "policy": "p", "name": "P",
          "document": {"version": "2.0", "statement": [{"effect": "deny", "action": "cvm:Terminate*", "resource": "*"}]}}},
  {"do": {"op": "attach_policy", "org": "o", "policy": "p", "target": "root"}}]}
JSON
expect_rc 0 "$bin" scenario --save "$work/s.json" "$work/scp.json"
# payment and discount histories survive --save and load: past instants answer as they were
expect_rc 0 "$bin" scenario --save "$work/hist.json" "$here/../scenarios/billing_history.json"
grep -q '"discount_history":\[{"at":"2026-12-10T00:00:00Z","from":"100001"}' "$work/hist.json" \
  || fail "no discount history in the snapshot"
{ printf '{"name": "histories after load", "world": '; cat "$work/hist.json"; cat <<'JSON'
, "steps": [
  {"query": {"op": "discount_source", "account": "100002", "as_of": "2026-12-12T00:00:00Z"},
   "expect": {"result": {"source": "inherited", "from": "100001"}}},
  {"query": {"op": "discount_source", "account": "100002", "as_of": "2026-12-15T12:00:00Z"},
   "expect": {"result": {"source": "own", "from": null}}},
  {"query": {"op": "discount_source", "account": "100004", "as_of": "2027-01-01T00:00:00Z"},
   "expect": {"result": {"source": "inherited", "from": "100001"}}},
  {"query": {"op": "discount_source", "account": "100004"},
   "expect": {"result": {"source": "own", "from": null}}},
  {"query": {"op": "payment_sources", "account": "100002", "as_of": "2026-11-15T00:00:00Z"},
   "expect": {"result": {"payer": "100001", "member_funds_usable": false, "coupons": ["cash_coupon"]}}},
  {"query": {"op": "notification_recipient", "account": "100003", "kind": "expiry", "as_of": "2026-12-05T12:00:00Z"},
   "expect": {"result": {"recipient": "100001"}}},
  {"query": {"op": "bill_payer", "account": "100002", "period_start": "2026-11-19T00:00:00Z", "period_end": "2026-11-20T00:00:00Z"},
   "expect": {"result": {"payer": "100001"}}}]}
JSON
} > "$work/hist_reload.json"
expect_rc 0 "$bin" scenario "$work/hist_reload.json"
expect_rc 0 "$bin" authorize --snapshot "$work/s.json" --account 2 --action cvm:RunInstances
grep -q "allow (allowed)" "$work/out" || fail "authorize output: $(cat "$work/out")"
expect_rc 1 "$bin" authorize --snapshot "$work/s.json" --account 2 --action cvm:TerminateInstances --json
grep -q '"reason":"explicit_deny"' "$work/out" || fail "authorize --json output"
echo '{"account": "2", "action": "cvm:TerminateInstances", "resource": "*"}' > "$work/req.json"
expect_rc 1 "$bin" explain --snapshot "$work/s.json" < "$work/req.json"
grep -q "matched: policy p statement 0 at root" "$work/out" || fail "explain output: $(cat "$work/out")"
expect_rc 0 "$bin" authorize --snapshot "$work/s.json" --account 1 --action cvm:TerminateInstances
grep -q "not_governed" "$work/out" || fail "management account is not governed"
expect_rc 2 "$bin" authorize --snapshot "$work/s.json" --account 2 --action 'cvm:*'
printf '%s\n' '{"account":"2","action":"cvm:TerminateInstances","resource":"*"}' \
  '{"account":"2","action":"cvm:RunInstances","resource":"*"}' '{"account":"9","action":"cvm:Run","resource":"*"}' \
  > "$work/batch.jsonl"
expect_rc 0 "$bin" authorize --snapshot "$work/s.json" --batch "$work/batch.jsonl" --stats
[ "$(wc -l < "$work/out")" = 3 ] || fail "batch: one line per request"
sed -n 1p "$work/out" | grep -q explicit_deny || fail "batch line 1"
sed -n 2p "$work/out" | grep -q '"allowed"' || fail "batch line 2"
sed -n 3p "$work/out" | grep -q ref.unknown_account || fail "batch line 3"
grep -q "decisions per second" "$work/err" || fail "--stats"
echo '{"version": "2.0", "statement": [{"effect": "allow", "action": "cvm:*", "resource": "*"}]}' > "$work/ok.json"
expect_rc 0 "$bin" policy lint "$work/ok.json"
echo '{"version": "2.0", "Statement": []}' > "$work/bad.json"
expect_rc 1 "$bin" policy lint --json "$work/bad.json"
grep -q '"severity":"error"' "$work/out" || fail "lint --json"
expect_rc 2 "$bin" scenario "$work/bad.json"
expect_rc 0 "$bin" demo
grep -q "reason join.entity_not_in_org" "$work/out" || fail "demo shows reasons"
expect_rc 0 "$bin" --help
expect_rc 2 "$bin" frobnicate
echo "cli: 1 passed, 0 failed"
