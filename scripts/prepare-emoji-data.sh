#!/usr/bin/env bash
# Regenerates the shipped emoji data set (model/src/main/resources/io/bayesweep/model/emoji/) from the
# emoji-datasource-google and emoji-datasource-twitter 16.0.0 npm packages. Needs npm and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for vendor in google twitter; do
  (cd "$work" && npm pack --silent "emoji-datasource-$vendor@16.0.0" >/dev/null)
  mkdir -p "$work/$vendor"
  tar xzf "$work/emoji-datasource-$vendor-16.0.0.tgz" -C "$work/$vendor" --strip-components=1 \
    package/emoji.json "package/img/$vendor/sheets-clean/32.png"
done
./mvnw -q -pl model -am -DskipTests install
./mvnw -q -pl model dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "model/target/classes:$(cat model/target/classpath.txt)" io.bayesweep.model.emoji.PrepareEmojiData \
  --google "$work/google" --twitter "$work/twitter" --out model/src/main/resources/io/bayesweep/model/emoji
