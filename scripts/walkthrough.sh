#!/usr/bin/env bash
# One case walked from intake to closure through the gateway with curl, against a running ./run.sh.
set -euo pipefail
G=http://127.0.0.1:8080
tok() { dotnet run --project src/Cli --no-build -- token --tenant "$1" --role "$2" --user "$3"; }
COORD=$(tok kommune coordinator kim-koordination)
CM=$(tok caritas case-manager anna)
DPO=$(tok caritas data-protection-officer dsb)
J='Content-Type: application/json'
post() { curl -s -H "Authorization: Bearer $1" -H "$J" -X "${4:-POST}" -d "$3" "$G$2"; }
echo '# register a provider in the network registry (NetworkService)'
ORG=$(post "$COORD" /api/network/organisations '{"name":"Jobcenter Kreis Mettmann","type":"Jobcenter","legalDomains":["SgbII"]}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
echo "organisation $ORG"; sleep 2
echo '# open a case (caritas)'
CASE=$(post "$CM" /api/tenants/caritas/cases '{"client":{"givenName":"Amira","familyName":"Haddad","birthDate":"1991-04-12","languages":["ar"],"residenceStatus":"ResidencePermit"},"accessRoute":"SelfReferral"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
C=/api/tenants/caritas/cases/$CASE; echo "case $CASE"
echo '# advance without indication -> 409'
post "$CM" $C/advance '{"to":"Assessment"}'; echo
post "$CM" $C/indication '{"targetGroup":true,"willingToCooperate":true,"communicationPossible":true}' PUT >/dev/null
CON=$(post "$CM" $C/consents "{\"purpose\":\"CaseManagement\",\"expiresOn\":\"$(date -d '+1 year' +%F)\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
post "$CM" $C/consents/$CON/give '{"givenBy":"Client","evidenceReference":"Akte 2026/117"}' >/dev/null
post "$CM" $C/advance '{"to":"Assessment"}' | python3 -c 'import sys,json;print("phase", json.load(sys.stdin)["phase"])'
post "$CM" $C/assessments/TrainingWork '{"situation":"Pflegefachkraft, Abschluss nicht anerkannt","resources":"Deutsch B1","needs":"Anerkennung","clientView":"Will im Beruf arbeiten"}' PUT >/dev/null
post "$CM" $C/advance '{"to":"GoalAgreement"}' | python3 -c 'import sys,json;print("phase", json.load(sys.stdin)["phase"])'
echo '# goal without the client agreement -> 409'
post "$CM" $C/goals '{"lifeDomain":"TrainingWork","description":"Anerkennung beantragt","clientAgreed":false}'; echo
GOAL=$(post "$CM" $C/goals '{"lifeDomain":"TrainingWork","description":"Anerkennung beantragt","clientAgreed":true}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["goals"][0]["id"])')
post "$CM" $C/advance '{"to":"ServicePlanning"}' | python3 -c 'import sys,json;print("phase", json.load(sys.stdin)["phase"])'
ITEM=$(post "$CM" $C/plan-items "{\"title\":\"Förderung der Anerkennung\",\"lifeDomain\":\"TrainingWork\",\"legalDomain\":\"SgbII\",\"responsibleOrganisationId\":\"$ORG\",\"targetDays\":30,\"goalId\":\"$GOAL\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["planItems"][0]["id"])')
post "$CM" $C/advance '{"to":"ServiceSteering"}' | python3 -c 'import sys,json;print("phase", json.load(sys.stdin)["phase"])'
echo '# referral passing the identity without consent -> 409'
post "$CM" $C/referrals "{\"planItemId\":\"$ITEM\",\"providerOrganisationId\":\"$ORG\",\"sharePersonalData\":true}"; echo
REF=$(post "$CM" $C/referrals "{\"planItemId\":\"$ITEM\",\"providerOrganisationId\":\"$ORG\",\"sharePersonalData\":false}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["referrals"][0]["id"])')
for s in Accepted Started; do post "$CM" $C/referrals/$REF/status "{\"status\":\"$s\"}" >/dev/null; done
post "$CM" $C/referrals/$REF/status '{"status":"Completed","successful":true}' >/dev/null
post "$CM" $C/reviews "{\"kind\":\"Review\",\"heldOn\":\"$(date +%F)\",\"participants\":[\"Carrier\",\"MunicipalOffice\"],\"coordinatorPresent\":true,\"outcome\":\"Plan bestätigt\"}" >/dev/null
post "$CM" $C/advance '{"to":"Monitoring"}' | python3 -c 'import sys,json;print("phase", json.load(sys.stdin)["phase"])'
post "$CM" $C/close "{\"reason\":\"Ziele erreicht\",\"evaluations\":[{\"goalId\":\"$GOAL\",\"evaluation\":\"Achieved\"}]}" | python3 -c 'import sys,json;d=json.load(sys.stdin);print("status", d["status"], "phase", d["phase"])'
echo '# audit log, as the data-protection officer'
curl -s -H "Authorization: Bearer $DPO" "$G/api/tenants/caritas/audit?resourceId=$CASE" | python3 -c 'import sys,json;d=json.load(sys.stdin);print(d["total"], "entries:", ", ".join(e["action"] for e in d["items"]))'
curl -s -H "Authorization: Bearer $DPO" "$G/api/tenants/caritas/audit/verification"; echo
echo '# a caritas token on a kommune route'
curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $CM" $G/api/tenants/kommune/cases
sleep 3
curl -s -H "Authorization: Bearer $CM" $G/api/reports/overview; echo
