#!/usr/bin/env bash
# bench/run.sh — the scale benchmark of issue 7: for each N (persons), a full
# run from an empty registry on a generated inbox, its stages, peak memory and
# the matcher's pairs per blocking rule, two baselines on the same xlsx files
# (excelize's default Rows+Columns read; unzip -p of the sheet XML, the
# decompression floor), and a nightly increment (about 1% new or changed
# files) on top. Writes docs/PERFORMANCE.md (hand-made rows live in
# docs/PERFORMANCE-history.md, which it leaves alone).
#
#   bench/run.sh                 # N = 10000 100000
#   bench/run.sh 10000 100000 1000000
#   bench/run.sh --rev HEAD 10000   # build a committed revision, not the working tree
#   bench/run.sh --table-only 10000 100000   # rewrite the table from the runs in the cache
#
# Generated inboxes are cached in $LIUDONG_BENCH_CACHE (default
# /tmp/liudong-bench/gen-N, ~3.2 KB per person); runs go to
# $LIUDONG_BENCH_CACHE/run-N and are replaced each time. Needs Go, gcc, jq,
# GNU time (/usr/bin/time; apt-get install time) and unzip (apt-get install
# unzip); without GNU time peak memory is sampled from /proc, without unzip
# the floor is left out.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${LIUDONG_BENCH_CACHE:-/tmp/liudong-bench}
rev=""
table_only=""
sizes=()
while [ $# -gt 0 ]; do
	case "$1" in
	--rev) rev=$2; shift 2 ;;
	--table-only) table_only=1; shift ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) sizes+=("$1"); shift ;;
	esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
command -v jq > /dev/null || { echo "bench: jq is needed (apt-get install jq)" >&2; exit 2; }
mkdir -p "$cache/bin"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Build the binary and the baseline, from the working tree or from --rev.
commit_file=$cache/bin/commit
src=$repo
if [ -n "$rev" ]; then
	src=$cache/src
	rm -rf "$src" && mkdir -p "$src"
	git -C "$repo" archive "$rev" | tar -x -C "$src"
fi
if [ -n "$table_only" ]; then
	commit=$(cat "$commit_file")
else
	commit=$(git -C "$repo" rev-parse --short "${rev:-HEAD}")
	[ -n "$rev" ] || { git -C "$repo" diff --quiet HEAD -- . 2>/dev/null || commit="$commit+dirty"; }
	log "building liudong ($commit)"
	(cd "$src" && go build -o "$cache/bin/liudong" ./cmd/liudong && go build -o "$cache/bin/excelizebase" ./bench/excelizebase)
	echo "$commit" > "$commit_file"
fi
bin=$cache/bin/liudong
if [ -n "$table_only" ]; then :; elif [ -n "$rev" ]; then git -C "$repo" show "$rev:config.yaml" > "$cache/config.yaml"; else cp "$repo/config.yaml" "$cache/config.yaml"; fi

# PDFs (certificates, letters) cost about 60 ms each on one core, one per
# member with an activity: at 100,000 persons they would take the benchmark
# hours. They are left out (no font) unless LIUDONG_BENCH_PDF=1.
pdf_env="LIUDONG_OUT_PDF_FONT=/nonexistent/no-pdf-in-benchmark.ttf"
pdfnote="PDFs left out (no font; \`LIUDONG_BENCH_PDF=1\` keeps them)"
if [ "${LIUDONG_BENCH_PDF:-}" = 1 ]; then pdf_env="LIUDONG_BENCH_PDF=1"; pdfnote="PDFs written"; fi

gnutime=""
if /usr/bin/time -v true > /dev/null 2>&1; then gnutime=/usr/bin/time; fi
have_unzip=""
if command -v unzip > /dev/null; then have_unzip=1; fi

# timed OUTFILE CMD…: runs CMD, writes "seconds peak_kib exit" to OUTFILE.
timed() {
	local out=$1; shift
	local t0 t1 rc=0 peak=0
	t0=$(date +%s.%N)
	if [ -n "$gnutime" ]; then
		$gnutime -v -o "$out.time" "$@" || rc=$?
		peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out.time")
	else
		# No GNU time: sample VmHWM of the process from /proc every 0.2 s.
		"$@" & local pid=$!
		while kill -0 "$pid" 2> /dev/null; do
			local h
			h=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2> /dev/null || true)
			[ -n "$h" ] && [ "$h" -gt "$peak" ] && peak=$h
			sleep 0.2
		done
		wait "$pid" || rc=$?
	fi
	t1=$(date +%s.%N)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}') $peak $rc" > "$out"
}

# run_pipeline DIR LABEL: one `liudong run` over DIR/inbox into DIR/liudong.duckdb.
run_pipeline() {
	local dir=$1 label=$2
	cut -d' ' -f1 /proc/loadavg > "$dir/$label.load" # other work on a shared machine
	timed "$dir/$label.measure" env $pdf_env "$bin" run --config "$cache/config.yaml" --inbox "$dir/inbox" \
		--db "$dir/liudong.duckdb" --out "$dir/out" > "$dir/$label.out" 2> "$dir/$label.log"
	read -r secs peak rc < "$dir/$label.measure"
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
		echo "bench: liudong run ($label) exited $rc; see $dir/$label.log" >&2
		exit 1
	fi
	"$bin" sql --config "$cache/config.yaml" --db "$dir/liudong.duckdb" --csv \
		"SELECT CAST(stage_timings AS VARCHAR) FROM runs ORDER BY run_id DESC LIMIT 1" | tail -n 1 |
		sed -e 's/^"//' -e 's/"$//' -e 's/""/"/g' > "$dir/$label.stages.json"
	cp "$dir/out/latest/summary.json" "$dir/$label.summary.json"
	log "$label: ${secs}s, peak $((peak / 1024)) MiB, stages $(cat "$dir/$label.stages.json")"
}

# collect N: the results of N's runs in the cache as one JSON file.
collect() {
	local n=$1 run=$cache/run-$1
	jq -n --argjson n "$n" --slurpfile meta "$run/meta.json" \
		--slurpfile sum "$run/full.summary.json" --slurpfile st "$run/full.stages.json" \
		--slurpfile isum "$(ls "$run/increment.summary.json" 2> /dev/null || echo /dev/null)" \
		--slurpfile ist "$(ls "$run/increment.stages.json" 2> /dev/null || echo /dev/null)" \
		--slurpfile ex "$run/excelize.json" \
		--arg full "$(cat "$run/full.measure")" --arg incm "$(cat "$run/increment.measure" 2> /dev/null)" \
		--arg cpu "$(cpu_seconds "$run/full.measure.time")" --arg icpu "$(cpu_seconds "$run/increment.measure.time")" \
		--arg load "$(cat "$run/full.load" 2> /dev/null)" --arg iload "$(cat "$run/increment.load" 2> /dev/null)" \
		--arg gen "$(cat "$cache/gen-$n.measure" 2> /dev/null || echo '')" \
		--arg parquet "$(grep -h '"parquet exported"' "$run/full.log" | jq -r .seconds | tail -n 1)" \
		'def num: if . == "" then null else tonumber end;
		 def measure(cpu; load): split(" ") | {seconds: (.[0] | tonumber), peak_kib: (.[1] | tonumber),
		   cpu_seconds: (cpu | num), load: (load | num)};
		 $meta[0] + {n: $n, summary: $sum[0], stages: $st[0], inc_summary: ($isum[0] // null), inc_stages: ($ist[0] // null), excelize: $ex[0],
		  full: ($full | measure($cpu; $load)), increment: (if $incm == "" then null else ($incm | measure($icpu; $iload)) end),
		  generate: (if $gen == "" then null else ($gen | split(" ") | {seconds: (.[0] | tonumber), peak_kib: (.[1] | tonumber)}) end),
		  parquet_seconds: ($parquet | num)}' > "$results/$n.json"
}

# cpu_seconds FILE: user + system seconds from GNU time -v's output.
cpu_seconds() {
	[ -f "$1" ] && awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$1"
}

results=$cache/results
mkdir -p "$results"
if [ -n "$table_only" ]; then
	for n in "${sizes[@]}"; do collect "$n"; done
	sizes=()
fi
for n in ${sizes[@]+"${sizes[@]}"}; do
	gen=$cache/gen-$n
	if [ ! -f "$gen/.complete" ]; then
		log "N=$n: generating the inbox into $gen"
		rm -rf "$gen"
		timed "$cache/gen-$n.measure" "$bin" demo --generate-only --persons "$n" --out "$gen"
		touch "$gen/.complete"
	fi
	run=$cache/run-$n
	rm -rf "$run" && mkdir -p "$run"
	cp -al "$gen/inbox" "$run/inbox" # hard links: the increment replaces files, never edits them

	log "N=$n: full run from an empty registry"
	sync
	run_pipeline "$run" full

	log "N=$n: baseline excelize Rows+Columns"
	"$cache/bin/excelizebase" "$gen/inbox" > "$run/excelize.json"
	floor=""
	if [ -n "$have_unzip" ]; then
		log "N=$n: decompression floor (unzip -p)"
		t0=$(date +%s.%N)
		find "$gen/inbox" -name '*.xlsx' -print0 | while IFS= read -r -d '' f; do
			unzip -p "$f" 'xl/worksheets/*.xml' 'xl/sharedStrings.xml' > /dev/null 2>&1 || true
		done
		floor=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
	fi

	# The nightly increment: about 1% of the files, new ones (the surveys and
	# rosters of a small inbox of other persons, seed 2) and one changed
	# (an existing CSV roster without its last line).
	files=$(find "$gen/inbox" -type f | wc -l)
	if [ "${LIUDONG_BENCH_INCREMENT:-1}" = 0 ]; then
		log "N=$n: nightly increment left out (LIUDONG_BENCH_INCREMENT=0)"
		inc_files=0
		jq -n --argjson files "$files" --arg floor "$floor" \
			'{files: $files, inc_files: 0, floor_seconds: (if $floor == "" then null else ($floor | tonumber) end)}' > "$run/meta.json"
		collect "$n"
		log "N=$n: done ($results/$n.json)"
		continue
	fi
	k=$(((files + 99) / 100))
	[ "$k" -ge 2 ] || k=2
	inc=$cache/inc-$n
	if [ ! -f "$inc/.complete" ]; then
		rm -rf "$inc"
		"$bin" demo --generate-only --persons $((n / 100 > 100 ? n / 100 : 100)) --seed 2 --no-bad-files --out "$inc" > /dev/null
		touch "$inc/.complete"
	fi
	changed=$(find "$run/inbox/rosters" -name '*.csv' | sort | head -n 1)
	inc_files=$k
	if [ -n "$changed" ]; then
		head -n -1 "$changed" > "$run/changed.tmp" && rm "$changed" && mv "$run/changed.tmp" "$changed"
		k=$((k - 1))
	fi
	(cd "$inc/inbox" && find surveys rosters -type f | sort | head -n "$k") | while read -r f; do
		mkdir -p "$run/inbox/$(dirname "$f")/增量"
		cp "$inc/inbox/$f" "$run/inbox/$(dirname "$f")/增量/$(basename "$f")"
	done
	log "N=$n: nightly increment ($k new files, ${changed:+1 changed} of $files)"
	run_pipeline "$run" increment

	jq -n --argjson files "$files" --argjson inc_files "$inc_files" --arg floor "$floor" \
		'{files: $files, inc_files: $inc_files, floor_seconds: (if $floor == "" then null else ($floor | tonumber) end)}' > "$run/meta.json"
	collect "$n"
	log "N=$n: done ($results/$n.json)"
done

# docs/PERFORMANCE.md from the results of every N measured (this run's and
# earlier ones' still in the cache).
out=$repo/docs/PERFORMANCE.md
mkdir -p "$repo/docs"
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
peaknote="peak RSS from GNU time -v"
[ -n "$gnutime" ] || peaknote="peak RSS sampled from /proc/PID/status VmHWM every 0.2 s"
ns=$(cd "$results" && ls *.json | sed 's/\.json$//' | sort -n | tr '\n' ' '); ns=${ns% }
{
	echo "# Performance"
	echo
	echo "Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores ($cpu), $mem memory, $(uname -sr);"
	echo "liudong $commit. The machine is shared, so figures vary by ±20%. Reproduce with \`bench/run.sh $ns\`"
	echo "(inputs: \`liudong demo --generate-only --persons N\`, seed 1; $peaknote; $pdfnote)."
	echo "This file is replaced by each run of the script; the 1M runs made by hand between its runs, one per change"
	echo "measured, are in \`docs/PERFORMANCE-history.md\`."
	echo
	echo "## Full run from an empty registry"
	echo
	echo "Seconds are wall-clock; *CPU s* is user + system time of the process (both cores); *load* is the machine's"
	echo "1-minute load average when the run started (2 cores: above 2 means other work was competing)."
	echo
	echo "| N persons | files | rows read | total s (wall) | CPU s | load | backup | open | scan | ingest | match | reconcile | output (of which Parquet) | peak RSS | generate the inbox |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $ns; do
		jq -r '. as $r | def s(k): ($r.stages[k] // 0 | . * 10 | round / 10 | tostring);
			def mib(k): (k / 1024 | round | tostring) + " MiB";
			"| \(.n) | \(.files) | \(.summary.totals | .rows_accepted + .rows_rejected + .rows_skipped) | \(.full.seconds * 10 | round / 10) | \(.full.cpu_seconds // "–" | if type == "number" then round else . end) | \(.full.load // "–") | \(s("backup")) | \(s("open")) | \(s("scan")) | \(s("ingest")) | \(s("match")) | \(s("reconcile")) | \(s("output")) (\(.parquet_seconds // "–" | if type == "number" then (. * 10 | round / 10) else . end)) | \(mib(.full.peak_kib)) | \(if .generate then "\(.generate.seconds | round) s, \(mib(.generate.peak_kib))" else "cached" end) |"' "$results/$n.json"
	done
	echo
	echo "## Ingest against the baselines (the same inbox's xlsx files)"
	echo
	echo "Rows per second. *ours*: rows read, cleaned and loaded (all files, xlsx and CSV, 2 workers) per second of the"
	echo "ingest stage. *excelize*: \`bench/excelizebase\`, excelize's default \`Rows\` + \`Columns\` (formatted values) over"
	echo "every sheet of every xlsx, one file after another on one core. *floor*: \`unzip -p f.xlsx 'xl/worksheets/*.xml'"
	echo "'xl/sharedStrings.xml' > /dev/null\` over the same files, one core; rows as excelize counted them. The inbox's"
	echo "unreadable files (encrypted, damaged) fail in every reader and count for nothing."
	echo
	echo "*ours per core*: the xlsx files' rows divided by the sum of their read seconds (\`summary.json\` \`files[].read_seconds\`:"
	echo "reading, cleaning and loading the file in one worker, its transaction's commit included; the worker's time, so"
	echo "when both workers and DuckDB's threads share the two cores it counts time waiting for a core too)."
	echo
	echo "| N persons | xlsx files | xlsx rows | ours (ingest stage, 2 workers) | ours per core (xlsx) | excelize default (1 core) | floor, unzip (1 core) | ours ÷ excelize | ours per core ÷ excelize | floor ÷ ours |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $ns; do
		jq -r '(.summary.totals | .rows_accepted + .rows_rejected + .rows_skipped) as $rows |
			($rows / .stages.ingest) as $ours | (.excelize.rows / .excelize.seconds) as $ex |
			([.summary.files[] | select(.format == "xlsx")] | (map(.accepted + .rejected + .skipped) | add) / (map(.read_seconds // 0) | add)) as $core |
			(if .floor_seconds then .excelize.rows / .floor_seconds else null end) as $fl |
			"| \(.n) | \(.excelize.files) | \(.excelize.rows) | \($ours | round) | \($core | round) | \($ex | round) | \(if $fl then ($fl | round | tostring) else "–" end) | \($ours / $ex * 100 | round / 100)× | \($core / $ex * 100 | round / 100)× | \(if $fl then ($fl / $ours * 10 | round / 10 | tostring) + "×" else "–" end) |"' "$results/$n.json"
	done
	echo
	echo "## Matching: pairs per record per blocking rule"
	echo
	echo "Pairs each rule generates (before OR-ing; \`summary.json\` \`match.rules\`) divided by the records compared"
	echo "(survey and roster records)."
	echo
	rules=$(jq -r '.summary.match.rules[].rule' "$results/$(echo $ns | awk '{print $1}').json")
	printf '| N persons | records | pairs (distinct) |'
	while IFS= read -r r; do printf ' `%s` |' "$r"; done <<< "$rules"
	echo
	printf '| ---: | ---: | ---: |'
	while IFS= read -r r; do printf ' ---: |'; done <<< "$rules"
	echo
	for n in $ns; do
		jq -r '.summary.match as $m | "| \(.n) | \($m.records) | \($m.pairs) (\($m.pairs / $m.records * 100 | round / 100)/record) |" +
			([$m.rules[] | " \(.pairs / $m.records * 1000 | round / 1000) |"] | join(""))' "$results/$n.json"
	done
	echo
	echo "## Nightly increment"
	echo
	echo "After the full run, about 1% of the files change: new survey and roster files of other persons (a small inbox"
	echo "generated with seed 2) and one existing CSV roster resent without its last row; then \`liudong run\` again."
	echo "Matching generates and compares only the new records' pairs (incremental blocking) but estimates the model and scores every pair again; golden records and field conflicts are made again only for the members whose records changed, but contact linking and the registry, report and rosters are recomputed, so the increment still costs most of a night's contact linking and output."
	echo
	echo "| N persons | files changed | rows read | total s (wall) | CPU s | load | ingest | match | reconcile | output | peak RSS |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $ns; do
		jq -r '. as $r | def s(k): ($r.inc_stages[k] // 0 | . * 10 | round / 10 | tostring);
			if .increment == null then "| \(.n) | not measured (LIUDONG_BENCH_INCREMENT=0) | | | | | | | | | |" else
			"| \(.n) | \(.inc_files) of \(.files) | \(.inc_summary.totals | .rows_accepted + .rows_rejected + .rows_skipped) | \(.increment.seconds * 10 | round / 10) | \(.increment.cpu_seconds // "–" | if type == "number" then round else . end) | \(.increment.load // "–") | \(s("ingest")) | \(s("match")) | \(s("reconcile")) | \(s("output")) | \(.increment.peak_kib / 1024 | round) MiB |" end' "$results/$n.json"
	done
} > "$out"
log "wrote $out"
