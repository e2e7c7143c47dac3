#!/bin/sh
# A sample tenant with part of its preparation done, to see what readiness reports.
# Run from the repository root while `npm start` serves on CORDON_SERVER (default
# http://127.0.0.1:8080) on the same data directory (default ./data).
set -eu
server=${CORDON_SERVER:-http://127.0.0.1:8080}
here=$(dirname "$0")
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

tenant=$(npx cordon tenant create "Sample${SAMPLE_SUFFIX:-}" --json | json id)
token=$(npx cordon token create --tenant "$tenant" --role incident_lead --json | json token)
api() { # METHOD PATH [JSON]
  if [ $# -ge 3 ]; then
    curl -sf -X "$1" -H "authorization: Bearer $token" -H 'content-type: application/json' \
      --data "$3" "$server/api/v1/tenants/$tenant$2"
  else
    curl -sf -X "$1" -H "authorization: Bearer $token" "$server/api/v1/tenants/$tenant$2"
  fi
}
npx cordon assets import "$here/inventory.csv" --tenant "$tenant"
asset() { api GET /assets | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).find(a=>a.name===process.argv[1]).id))' "$1"; }
erp01=$(asset erp01); dc01=$(asset dc01); files01=$(asset files01)

day=86400000
iso() { node -p "new Date(Date.now() - $1 * $day).toISOString()"; }
# Continuity: two business functions mapped to their servers; backups of the critical ones.
api POST /functions "{\"name\":\"Invoicing\",\"mtdMinutes\":240,\"costPerHour\":12000,\"assetIds\":[\"$erp01\"]}" >/dev/null
api POST /functions "{\"name\":\"Sign-in\",\"mtdMinutes\":30,\"costPerHour\":4000,\"assetIds\":[\"$dc01\"]}" >/dev/null
api POST /backups "{\"name\":\"ERP nightly\",\"assetId\":\"$erp01\",\"rpoMinutes\":1440,\"rtoMinutes\":240,\"lastSuccessAt\":\"$(iso 0.5)\",\"lastRestoreTestAt\":\"$(iso 40)\",\"lastRestoreTestPassed\":true,\"offlineCopy\":true,\"immutableCopy\":false}" >/dev/null
api POST /backups "{\"name\":\"AD system state\",\"assetId\":\"$dc01\",\"rpoMinutes\":1440,\"rtoMinutes\":120,\"lastSuccessAt\":\"$(iso 3)\"}" >/dev/null
api POST /backups "{\"name\":\"File shares\",\"assetId\":\"$files01\",\"rpoMinutes\":1440,\"rtoMinutes\":480,\"lastSuccessAt\":\"$(iso 0.2)\",\"offlineCopy\":true}" >/dev/null
# The response plan, approved and reviewed; three roles staffed, one without a backup.
plan=$(api POST /plans '{"title":"Incident response plan","owner":"CISO","body":"# Incident response plan\n\n1. Call the MSSP on-call.\n2. …"}' | json id)
api POST "/plans/$plan/approve" >/dev/null
api POST "/plans/$plan/review" '{}' >/dev/null
api POST /roles '{"role":"incident_lead","primary":{"name":"Dana Lee","phone":"+1 555 0101","email":null,"chat":null},"backup":{"name":"Sam Ortiz","phone":"+1 555 0102","email":null,"chat":null},"escalationRank":1}' >/dev/null
api POST /roles '{"role":"technical_lead","primary":{"name":"Ravi Iyer","phone":null,"email":"ravi@sample.example","chat":null},"backup":{"name":"Ana Ruiz","phone":null,"email":"ana@sample.example","chat":null},"escalationRank":2}' >/dev/null
api POST /roles '{"role":"mssp_on_call","primary":{"name":"MSSP SOC","phone":"+1 555 0199","email":"soc@mssp.example","chat":null},"backup":null,"escalationRank":3}' >/dev/null
api POST /exercises "{\"kind\":\"tabletop\",\"heldAt\":\"$(iso 200)\",\"notes\":\"ransomware on the ERP\"}" >/dev/null
npx cordon readiness --tenant "$tenant"
