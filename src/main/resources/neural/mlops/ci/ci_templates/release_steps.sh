# The release steps every platform's pipeline shares, one section per step (CiTemplateGenerator
# places each as the lines of a script block). The platform's own lines set, before a section runs:
# COMMIT_SHA (the commit being built), RELEASE_TAG (the tag, on a release), RUN_URL (this run on the
# platform), APPROVAL_NOTE (who approved, or why that is not known), and for a registration
# MODEL_VERSION, REGISTER_MODEL, REGISTER_METRICS and REGISTER_CONFIG (the files to register), beside
# the pipeline's environment (MODEL_NAME, NEURAL_MLOPS_WORKSPACE, NEURAL_MLOPS_USER, MAIN_BRANCH,
# GATE_METRIC, GATE_DIRECTION, ...). Lines @NAME@ are replaced by the generator, or dropped.
# Python spread over lines starts with 'if True:', so that the indentation a platform keeps (Jenkins'
# sh keeps the Jenkinsfile's) is only that block's, never an IndentationError.
## signing-key
# The pipeline user signs its governed actions (promotions, requests) with its SSH key from the
# platform's secret store; workspace.yaml must list the public key for it under identities. The
# platform's lines set SIGNING_KEY_NAME (the secret's name), SIGNING_KEY_SECRET (the secret: the
# key's text or its base64 as a value, or the path of a file the platform wrote and removes at the
# end of the job) and SIGNING_KEY_FILE (where a value is written, readable by this user alone; the
# job removes it at its end). Tracing stays off: the key is never printed.
set +x
set -eu
if [ -z "${SIGNING_KEY_SECRET:-}" ]; then
  echo "No signing key: the secret $SIGNING_KEY_NAME is missing or empty in this job; store the SSH private key of $NEURAL_MLOPS_USER there (see docs/ci-templates.md, Signing), or generate the pipeline with sign=false" >&2
  exit 1
fi
if ! command -v ssh-keygen > /dev/null; then
  echo "ssh-keygen is not on the PATH: the job's image needs openssh-client to sign as $NEURAL_MLOPS_USER" >&2
  exit 1
fi
secret_file=false
if [ -f "$SIGNING_KEY_SECRET" ]; then
  secret_file=true
fi
if [ "$secret_file" = true ] && [ "$(head -c 10 "$SIGNING_KEY_SECRET")" = "-----BEGIN" ]; then
  # The platform's own file: used in place; ssh-keygen signs only with a key no one else can read.
  NEURAL_MLOPS_SIGNING_KEY="$SIGNING_KEY_SECRET"
  chmod 600 "$NEURAL_MLOPS_SIGNING_KEY"
else
  NEURAL_MLOPS_SIGNING_KEY="$SIGNING_KEY_FILE"
  mkdir -p "$(dirname "$NEURAL_MLOPS_SIGNING_KEY")"
  rm -f "$NEURAL_MLOPS_SIGNING_KEY"
  (
    umask 077
    if [ "$secret_file" = true ]; then secret="$(cat "$SIGNING_KEY_SECRET")"; else secret="$SIGNING_KEY_SECRET"; fi
    # A masked GitLab variable holds one line only, so the key may come base64-encoded.
    case "$secret" in
      -----BEGIN*) printf '%s\n' "$secret" | tr -d '\r' ;;
      *) printf '%s' "$secret" | tr -d ' \r\n' | base64 -d 2> /dev/null || true ;;
    esac > "$NEURAL_MLOPS_SIGNING_KEY"
  )
fi
if ! public_key="$(ssh-keygen -y -P '' -f "$NEURAL_MLOPS_SIGNING_KEY" 2> /dev/null)"; then
  echo "The secret $SIGNING_KEY_NAME is not an SSH private key without a passphrase (nor its base64): store the OpenSSH private key of $NEURAL_MLOPS_USER there" >&2
  exit 1
fi
export NEURAL_MLOPS_SIGNING_KEY
echo "Signing as $NEURAL_MLOPS_USER with $public_key (listed for $NEURAL_MLOPS_USER under identities in workspace.yaml, or every signed action is refused)"
## provenance
# Only a tag on a commit of the main branch is released: a tag on a side branch would ship code nobody merged.
set -eu
case "$RELEASE_TAG" in
  $RELEASE_TAG_PATTERN) ;;
  *) echo "Tag $RELEASE_TAG does not match the release tag pattern $RELEASE_TAG_PATTERN" >&2; exit 1 ;;
esac
if ! git fetch --quiet --no-tags origin "+refs/heads/$MAIN_BRANCH:refs/remotes/origin/$MAIN_BRANCH"; then
  # A checkout that cannot fetch again (no credentials kept) still has the branch as it fetched it.
  if ! git rev-parse --verify --quiet "refs/remotes/origin/$MAIN_BRANCH" > /dev/null; then
    echo "Could not fetch $MAIN_BRANCH from origin to check that tag $RELEASE_TAG is on it" >&2; exit 1
  fi
  echo "Could not fetch $MAIN_BRANCH again; checking tag $RELEASE_TAG against $MAIN_BRANCH as the checkout fetched it"
fi
if ! git merge-base --is-ancestor "$COMMIT_SHA" "refs/remotes/origin/$MAIN_BRANCH"; then
  echo "Tag $RELEASE_TAG points at $COMMIT_SHA, which is not on $MAIN_BRANCH: only a commit of $MAIN_BRANCH is released" >&2; exit 1
fi
## register
# Build once: the version records the commit and the run that built it, so that a release tag finds
# it by commit; registering the same build again (a re-run) changes nothing.
set -eu
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry register \
  --name "$MODEL_NAME" --version "$MODEL_VERSION" --model-path "$REGISTER_MODEL" \
  --framework "$MODEL_FRAMEWORK" --metrics-file "$REGISTER_METRICS" \
@CONFIG_OPTION@
  --lineage-commit "$COMMIT_SHA" --lineage-run "$RUN_URL" \
  --description "Trained by $PROJECT_NAME at commit $COMMIT_SHA in $RUN_URL"
## local-workspace
# A workspace in the run's own checkout starts empty in a tag's pipeline, so the build of the tagged
# commit, registered by the main branch's pipeline, cannot be found there.
echo "The workspace $NEURAL_MLOPS_WORKSPACE is a folder of this run's checkout, so it does not hold the build the main branch's pipeline registered: generate the pipeline with a shared workspace (an absolute path) or s3://bucket/prefix to release by tag" >&2
exit 1
## find
# Build once: the release is the version the main branch's pipeline registered from this very commit
# and that passed staging (or already reached production, on a re-run); nothing is trained again.
set -eu
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry list --json \
  --name "$MODEL_NAME" --lineage-commit "$COMMIT_SHA" > .neural-mlops-release.json
MODEL_VERSION="$(python3 -c 'if True:
  import json, sys
  found = [v for v in json.load(open(sys.argv[1])) if v["name"] == sys.argv[2] and v["stage"] in ("staging", "production")]
  if not found:
      sys.exit("No version of %s built from commit %s has passed staging: push the commit to the main branch, let its pipeline finish, then tag it" % (sys.argv[2], sys.argv[3]))
  done = [v for v in found if v["stage"] == "production"]
  print((done or sorted(found, key=lambda v: v["created_at"]))[-1]["version"])' \
  .neural-mlops-release.json "$MODEL_NAME" "$COMMIT_SHA")"
echo "Releasing $MODEL_NAME $MODEL_VERSION, built from $COMMIT_SHA, as $RELEASE_TAG"
## verify
# Before acting: the trail must be intact and the model file the one registered.
set -eu
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" audit verify
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry verify "$MODEL_NAME" "$MODEL_VERSION"
## stage
# Into staging once: a re-run after the release must not move the version back from production.
set -eu
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry show --json \
  "$MODEL_NAME" "$MODEL_VERSION" > .neural-mlops-version.json
stage="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["stage"])' .neural-mlops-version.json)"
if [ "$stage" = development ]; then
  neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry promote \
    "$MODEL_NAME" "$MODEL_VERSION" --to staging \
    --reason "Tests and evaluation passed in $RUN_URL at commit $COMMIT_SHA"
else
  echo "$MODEL_NAME $MODEL_VERSION is already in $stage; it stays there"
fi
## gate
# Champion and challenger: with a gate metric, the release must not be worse at it than the version
# now in production (the first release, or a re-run of this one, has nothing to compare with).
set -eu
if [ -n "${GATE_METRIC:-}" ]; then
  neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry list --json \
    --name "$MODEL_NAME" --stage production > .neural-mlops-production.json
  champion="$(python3 -c 'import json, sys; found = [v["version"] for v in json.load(open(sys.argv[1])) if v["name"] == sys.argv[2]]; print(found[0] if found else "")' \
    .neural-mlops-production.json "$MODEL_NAME")"
  if [ -z "$champion" ] || [ "$champion" = "$MODEL_VERSION" ]; then
    echo "Metric gate on $GATE_METRIC: no other version of $MODEL_NAME in production to compare with"
  else
    neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry compare --json \
      "$MODEL_NAME" "$champion" "$MODEL_VERSION" > .neural-mlops-compare.json
    python3 -c 'if True:
      import json, sys
      c = json.load(open(sys.argv[1]))
      metric, direction = sys.argv[2], sys.argv[3]
      m = c["metrics_comparison"].get(metric) or {}
      new, old = m.get("version2"), m.get("version1")
      if new is None:
          sys.exit("%s %s has no metric %s, so the metric gate cannot compare it with %s in production" % (c["name"], c["version2"], metric, c["version1"]))
      if old is not None and (new < old if direction == "higher" else new > old):
          sys.exit("%s %s has %s %s, worse than %s in production (%s; %s is better): it is not released" % (c["name"], c["version2"], metric, new, c["version1"], old, direction))
      print("Metric gate on %s passed: %s %s against %s %s in production" % (metric, c["version2"], new, c["version1"], old))' \
      .neural-mlops-compare.json "$GATE_METRIC" "$GATE_DIRECTION"
  fi
fi
## request
# When the workspace policy wants approvals for production, file the request now, so that approvers can
# give them while the platform's gate waits; a re-run finds it (or the promotion it led to) and carries on.
set -eu
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry request \
  "$MODEL_NAME" "$MODEL_VERSION" --to production --if-needed \
  --reason "Release $RELEASE_TAG of commit $COMMIT_SHA ($RUN_URL)"
## promote
# Promote directly only when the policy needs no approval; with approvals, the last approver's
# 'registry approve' moves the version, and this step says what is missing (a direct promotion would
# be refused and recorded as a security violation against the pipeline user).
set -eu
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry request \
  "$MODEL_NAME" "$MODEL_VERSION" --to production --if-needed --json \
  --reason "Release $RELEASE_TAG of commit $COMMIT_SHA ($RUN_URL)" > .neural-mlops-request.json
outcome="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["outcome"])' .neural-mlops-request.json)"
case "$outcome" in
  in_stage) echo "$MODEL_NAME $MODEL_VERSION is already in production" ;;
  no_approval_needed)
    neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" registry promote \
      "$MODEL_NAME" "$MODEL_VERSION" --to production \
      --reason "Release $RELEASE_TAG of commit $COMMIT_SHA ($RUN_URL); $APPROVAL_NOTE" ;;
  *)
    python3 -c 'if True:
      import json, sys
      r = json.load(open(sys.argv[1]))["request"]
      agreed = [r["requested_by"]] + [a["by"] for a in r.get("approvals", [])]
      missing = r["approvals_required"] - len(agreed)
      sys.exit("%s %s is not in production: the request has %d of %d approvals (%s), %d more needed from another permitted user: neural-mlops --workspace %s registry approve %s %s --to production" % (r["name"], r["version"], len(agreed), r["approvals_required"], ", ".join(agreed), missing, sys.argv[2], r["name"], r["version"]))' \
      .neural-mlops-request.json "$NEURAL_MLOPS_WORKSPACE" ;;
esac
## deploy
# Record the deployment (or find the one an earlier attempt recorded), run the real deployment,
# activate it, then probe the endpoint; an unhealthy one is rolled back to the previous version.
set -eu
# The deployment command sees these as its environment, on every platform.
export MODEL_NAME MODEL_VERSION DEPLOY_ENVIRONMENT DEPLOY_ENDPOINT
neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" deploy create --json --if-absent \
  --model "$MODEL_NAME" --version "$MODEL_VERSION" --env "$DEPLOY_ENVIRONMENT" --endpoint "$DEPLOY_ENDPOINT" \
  > .neural-mlops-deployment.json
DEPLOYMENT_ID="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["deployment_id"])' .neural-mlops-deployment.json)"
DEPLOYMENT_STATUS="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["deployment"]["status"])' .neural-mlops-deployment.json)"
if [ "$DEPLOYMENT_STATUS" != active ]; then
@DEPLOY_COMMAND@
  neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" deploy activate "$DEPLOYMENT_ID"
fi
if ! neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" deploy check "$DEPLOYMENT_ID"; then
  neural-mlops --workspace "$NEURAL_MLOPS_WORKSPACE" --user "$NEURAL_MLOPS_USER" deploy rollback \
    --model "$MODEL_NAME" --env "$DEPLOY_ENVIRONMENT" --reason "$DEPLOYMENT_ID failed its health check in $RUN_URL" \
    || echo "No earlier deployment of $MODEL_NAME in $DEPLOY_ENVIRONMENT to roll back to" >&2
  echo "$MODEL_NAME $MODEL_VERSION is unhealthy at $DEPLOY_ENDPOINT after deployment $DEPLOYMENT_ID; rolled back" >&2
  exit 1
fi
