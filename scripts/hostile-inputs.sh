#!/usr/bin/env bash
# Runs hostile and malformed inputs through `trm` end to end: checkpoints (.pt zip+pickle), safetensors, YAML configs,
# datasets (.npy, dataset.json), puzzles (Sudoku, maze, ARC), solve records and flags. Every case must end with exit
# code 2, one line on stderr starting "error" that names the file, field or flag, no stack trace, under 1.5 GB peak
# resident memory and 60 s, and leave no new file or folder behind (the work folder, the current folder and TMPDIR,
# where a crash report would go, are compared before and after each case).
# Usage: scripts/hostile-inputs.sh [CASE_NAME_REGEX] [WORK_DIR]   (build first: dotnet build -c Release Trm.slnx)
# Without WORK_DIR a temporary folder is used, and removed when every case passes.
# Needs python3 (standard library only) to write the binary files, and GNU time (/usr/bin/time).
set -u
PATTERN=${1:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DLL="$ROOT/src/Trm.Cli/bin/Release/net10.0/trm.dll"
MAX_RSS_MB=1536
MAX_SECONDS=60
[ -f "$DLL" ] || { echo "no $DLL: build first (dotnet build -c Release Trm.slnx)"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to write the hostile files"; exit 1; }
if [ ! -x /usr/bin/time ]; then
  echo "GNU time (/usr/bin/time) is missing: installing the 'time' package with apt-get"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time > /dev/null || { apt-get update -qq > /dev/null && apt-get install -y -qq time > /dev/null; }
  else sudo apt-get install -y -qq time > /dev/null; fi
  [ -x /usr/bin/time ] || { echo "could not install GNU time"; exit 1; }
fi

KEEP=${2:+1}   # a work folder given is kept; a temporary one is removed when every case passes
W=${2:-$(mktemp -d /tmp/trm-hostile-XXXXXX)}
W=$(mkdir -p "$W" && cd "$W" && pwd)
IN=$W/in; RUN=$W/run; LOG=$W/log; TMP=$W/tmp; BASE=$W/base
mkdir -p "$IN" "$RUN" "$LOG" "$TMP" "$BASE"
trm() { dotnet "$DLL" "$@"; }
TINY=(arch.hidden_size=32 arch.num_heads=2 arch.L_layers=1 arch.expansion=2 epochs=2 eval_interval=2 global_batch_size=256 threads=1)

# A real checkpoint, dataset and weights files to mutate: the default 4x4 Sudoku data, a tiny model, 7 steps.
if [ ! -f "$BASE/ck/step_7/model.pt" ]; then
  echo "training a tiny checkpoint to mutate in $BASE"
  (cd "$BASE" && trm train "${TINY[@]}" checkpoint_path="$BASE/ck" > "$LOG/base-train.txt" 2>&1) || { echo "base training failed:"; tail "$LOG/base-train.txt"; exit 1; }
  trm convert "$BASE/ck/step_7" "$BASE/model.safetensors" > /dev/null && trm convert "$BASE/ck/step_7" "$BASE/model.pt" > /dev/null || { echo "convert failed"; exit 1; }
fi
CK=$BASE/ck/step_7
DATA=$BASE/data/sudoku4-1k-aug-7

# ---------------------------------------------------------------------------------------------------------- the files
python3 - "$IN" "$BASE" "$CK" "$DATA" <<'PY'
import base64, json, os, shutil, struct, sys, zipfile, zlib
IN, BASE, CK, DATA = sys.argv[1:5]
def out(name, data, mode='wb'):
    with open(os.path.join(IN, name), mode) as f: f.write(data)

# --- pickle opcodes as torch.save writes them (protocol 2)
def uni(s): b = s.encode(); return b'X' + struct.pack('<I', len(b)) + b
def integer(n):
    if -2**31 <= n < 2**31: return b'J' + struct.pack('<i', n)
    b = n.to_bytes((n.bit_length() + 8) // 8, 'little', signed=True); return b'\x8a' + bytes([len(b)]) + b
def glob(module, name): return b'c' + module.encode() + b'\n' + name.encode() + b'\n'
def tup(items): return b'(' + b''.join(items) + b't'
def tensor(key, numel, offset, sizes, strides, storage='FloatStorage'):
    size_items = [s if isinstance(s, bytes) else integer(s) for s in sizes]
    return (glob('torch._utils', '_rebuild_tensor_v2') + b'(' + tup([uni('storage'), glob('torch', storage), uni(key), uni('cpu'), integer(numel)])
            + b'Q' + integer(offset) + tup(size_items) + tup([integer(s) for s in strides]) + b'\x89'
            + glob('collections', 'OrderedDict') + b')R' + b't' + b'R')
def state_dict(entries): return b'\x80\x02' + glob('collections', 'OrderedDict') + b')R(' + b''.join(uni(k) + v for k, v in entries) + b'u.'
def pt(name, pkl, storages, compress=False):
    with zipfile.ZipFile(os.path.join(IN, name), 'w', zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        z.writestr('archive/data.pkl', pkl); z.writestr('archive/byteorder', 'little')
        for k, v in storages.items(): z.writestr('archive/data/' + k, v)
        z.writestr('archive/version', '3\n')
EMB = 'model.inner.embed_tokens.embedding_weight'
pt('stride0-huge.pt', state_dict([(EMB, tensor('0', 1, 0, [10**6, 10**6], [0, 0]))]), {'0': b'\0' * 4})
pt('size-1e12.pt', state_dict([(EMB, tensor('0', 10**12, 0, [10**12], [1]))]), {'0': b'\0' * 768})
pt('negative-size.pt', state_dict([(EMB, tensor('0', 192, 0, [-6, 32], [32, 1]))]), {'0': b'\0' * 768})
pt('string-size.pt', state_dict([(EMB, tensor('0', 192, 0, [uni('6'), 32], [32, 1]))]), {'0': b'\0' * 768})
pt('offset-past-storage.pt', state_dict([(EMB, tensor('0', 192, 10**15, [6, 32], [32, 1]))]), {'0': b'\0' * 768})
pt('binbytes-4gb.pt', b'\x80\x02' + b'B' + struct.pack('<I', 0xFFFFFFFF) + b'\0' * 16 + b'.', {})
pt('binunicode-4gb.pt', state_dict([]).replace(b'(u.', b'(' + b'X' + struct.pack('<I', 0xFFFFFFF0) + b'abc' + b'u.'), {})
pt('pickle-python-object.pt', b'\x80\x02' + glob('os', 'system') + uni('touch pwned') + b'\x85R.', {})
# data.pkl of 200 MB of zeros deflated into a small entry (a zip bomb past the 64 MiB pickle limit)
with zipfile.ZipFile(os.path.join(IN, 'pickle-zipbomb.pt'), 'w', zipfile.ZIP_DEFLATED) as z:
    with z.open('archive/data.pkl', 'w', force_zip64=True) as f:
        chunk = b'\0' * (1 << 20)
        for _ in range(200): f.write(chunk)
real = open(os.path.join(CK, 'model.pt'), 'rb').read()
out('truncated-zip.pt', real[: len(real) // 2])
out('not-a-zip.pt', b'this is not a checkpoint\n' * 10)
# the real checkpoint with the embedding table declaring one row more than the model has
with zipfile.ZipFile(os.path.join(CK, 'model.pt')) as src, zipfile.ZipFile(os.path.join(IN, 'wrong-shape.pt'), 'w', zipfile.ZIP_STORED) as dst:
    for info in src.infolist():
        data = src.read(info)
        if info.filename.endswith('data.pkl'): data = data.replace(integer(192) + b't' + b'Q' + integer(0) + b'(' + integer(6), integer(224) + b't' + b'Q' + integer(0) + b'(' + integer(7), 1)
        if info.filename.endswith('data/0'): data = data + b'\0' * 128
        dst.writestr(info, data)

# --- safetensors
def st(name, header=None, raw=None, data=b'', declared=None):
    hb = raw if raw is not None else json.dumps(header).encode()
    out(name, struct.pack('<Q', len(hb) if declared is None else declared) + hb + data)
W32 = {'dtype': 'F32', 'shape': [6, 32], 'data_offsets': [0, 768]}
st('header-declares-100mb.safetensors', {'w': W32}, data=b'\0' * 768, declared=100 * 10**6 + 1)
st('header-declares-2e64.safetensors', {'w': W32}, data=b'\0' * 768, declared=2**64 - 1)
st('shape-overflow.safetensors', {'w': {'dtype': 'F32', 'shape': [2**32, 2**32, 2**32], 'data_offsets': [0, 4]}}, data=b'\0' * 4)
st('offsets-past-end.safetensors', {'w': {'dtype': 'F32', 'shape': [6, 32], 'data_offsets': [0, 10**12]}}, data=b'\0' * 768)
st('negative-shape.safetensors', {'w': {'dtype': 'F32', 'shape': [-6, 32], 'data_offsets': [0, 768]}}, data=b'\0' * 768)
st('string-shape.safetensors', {'w': {'dtype': 'F32', 'shape': ['6', 32], 'data_offsets': [0, 768]}}, data=b'\0' * 768)
st('header-not-utf8.safetensors', raw=b'{"w": {"dtype": "F32\xff\xfe", "shape": [6, 32], "data_offsets": [0, 768]}}', data=b'\0' * 768)
st('header-deep.safetensors', raw=b'[' * 100000 + b']' * 100000)
laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + ''.join(
    f'{c}: &{c} [' + ','.join([f'*{p}'] * 10) + ']\n' for p, c in zip('abcdefgh', 'bcdefghi'))
st('config-laughs.safetensors', {'__metadata__': {'format': 'pt', 'trm_config': laughs}, 'w': W32}, data=b'\0' * 768)

# --- YAML configs
out('laughs.yaml', laughs + 'project_name: *i\n', 'w')
out('deep.yaml', 'arch: ' + '[' * 100000 + ']' * 100000 + '\n', 'w')
out('huge.yaml', 'project_name: "' + 'x' * (2 << 20) + '"\n', 'w')
out('duplicate-keys.yaml', 'epochs: 2\nepochs: 3\n', 'w')
out('wrong-type.yaml', f'data_paths: [{DATA}]\nlr: lots\n', 'w')
os.makedirs(os.path.join(IN, 'ck-laughs'))
for f in os.listdir(CK): shutil.copy(os.path.join(CK, f), os.path.join(IN, 'ck-laughs', f))
out('ck-laughs/all_config.yaml', laughs + 'project_name: *i\n', 'w')
os.makedirs(os.path.join(IN, 'ck-hidden-huge'))
for f in os.listdir(CK): shutil.copy(os.path.join(CK, f), os.path.join(IN, 'ck-hidden-huge', f))
config = open(os.path.join(CK, 'all_config.yaml')).read()
out('ck-hidden-huge/all_config.yaml', config.replace('hidden_size: 32', 'hidden_size: 1000000'), 'w')

# --- datasets: copies of the real one with one file mutated
def npy(descr, fortran, shape, data=b'', magic=b'\x93NUMPY', version=(1, 0), declared_len=None):
    h = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    h += ' ' * (63 - (len(h) + 10) % 64) + '\n'
    n = len(h) if declared_len is None else declared_len
    ln = struct.pack('<H', n) if version[0] == 1 else struct.pack('<I', n)
    return magic + bytes(version) + ln + h.encode() + data
def dataset(name, file, content, split='train'):
    d = os.path.join(IN, name); shutil.copytree(DATA, d)
    with open(os.path.join(d, split, file), 'wb') as f: f.write(content)
inputs = open(os.path.join(DATA, 'train', 'all__inputs.npy'), 'rb').read()
body = inputs[128:]
dataset('ds-npy-1e11', 'all__inputs.npy', npy('<i4', False, '(100000000000, 16)', body))
dataset('ds-test-npy-1e11', 'all__inputs.npy', npy('<i4', False, '(100000000000, 16)', body), split='test')
dataset('ds-npy-magic', 'all__inputs.npy', npy('<i4', False, '(2000, 16)', body, magic=b'\x93NUMPZ'))
dataset('ds-npy-fortran', 'all__inputs.npy', npy('<i4', True, '(2000, 16)', body))
dataset('ds-npy-object', 'all__inputs.npy', npy('|O', False, '(2000, 16)', body))
dataset('ds-npy-header-2gb', 'all__inputs.npy', npy('<i4', False, '(2000, 16)', body, version=(2, 0), declared_len=2**31))
dataset('ds-npy-truncated', 'all__inputs.npy', inputs[: len(inputs) // 3])
dataset('ds-npy-negative', 'all__inputs.npy', npy('<i4', False, '(-2000, 16)', body))
meta = json.load(open(os.path.join(DATA, 'train', 'dataset.json')))
dataset('ds-seq-len', 'dataset.json', json.dumps(dict(meta, seq_len=10**9)).encode())
dataset('ds-vocab', 'dataset.json', json.dumps(dict(meta, vocab_size=10**12)).encode())
dataset('ds-vocab-2e9', 'dataset.json', json.dumps(dict(meta, vocab_size=2 * 10**9)).encode())
dataset('ds-identifiers-2e9', 'dataset.json', json.dumps(dict(meta, num_puzzle_identifiers=2 * 10**9)).encode())
dataset('ds-json-huge', 'dataset.json', b'')
with open(os.path.join(IN, 'ds-json-huge', 'train', 'dataset.json'), 'wb') as f:
    f.write(b'{"pad": "'); chunk = b'x' * (1 << 20)
    for _ in range(300): f.write(chunk)
    f.write(b'"}')
dataset('ds-seq-len-string', 'dataset.json', json.dumps(dict(meta, seq_len='16')).encode())
dataset('ds-json-deep', 'dataset.json', b'[' * 100000 + b']' * 100000)
pidx = open(os.path.join(DATA, 'train', 'all__puzzle_indices.npy'), 'rb').read()
dataset('ds-index-past-end', 'all__puzzle_indices.npy', pidx[:-4] + struct.pack('<i', 10**9))

# --- ARC tasks
def arc(name, train_input, test_input=[[0]]):
    out(name, json.dumps({'train': [{'input': train_input, 'output': [[0]]}], 'test': [{'input': test_input}]}), 'w')
arc('arc-wide.json', [[0] * 10**6])
arc('arc-tall.json', [[0]] * 10**6)
arc('arc-colour.json', [[0, 10]])
arc('arc-valid.json', [[0, 1]])
arc('arc-float.json', [[0, 1e300]])
out('arc-deep.json', '{"train": [{"input": ' + '[' * 100000 + ']' * 100000 + ', "output": [[0]]}], "test": [{"input": [[0]]}]}', 'w')
out('arc-many-tests.json', json.dumps({'train': [{'input': [[0]], 'output': [[0]]}], 'test': [{'input': [[0]]}] * 100000}), 'w')
with open(os.path.join(IN, 'arc-huge-file.json'), 'w') as f:
    f.write('{"train": [{"input": [[0]], "output": [[0]]}], "test": [{"input": [[0]]}], "pad": [')
    f.write('0,' * (40 << 20)); f.write('0]}')
out('arc-not-utf8.json', b'{"train": [{"input": [[0]], "output": [[0]]}], "test": [{"input": [[0]]}], "x": "\xc3\x28"}')

# --- Sudoku and maze puzzles
out('sudoku-long-line.txt', '1' * (20 << 20), 'w')
out('maze-3x3.txt', '#S#\n# #\n#G#\n', 'w')
out('maze-ragged.txt', '#S' + ' ' * 300 + '\n#G\n', 'w')
out('maze-300.txt', ('S' + ' ' * 298 + 'G\n') + ('#' * 300 + '\n') * 299, 'w')
out('maze-4000.txt', ('S' + ' ' * 3998 + 'G\n') + ('#' * 4000 + '\n') * 3999, 'w')

# --- solve records for `trm render trajectory`
step = {'answer': '1234341221434321', 'halt_probability': 0.5}
record = {'kind': 'sudoku', 'puzzle': '1...2...3...4...', 'answer': '1234341221434321', 'valid': False, 'problem': None, 'steps_used': 1}
out('record-valid.json', json.dumps(dict(record, steps=[step])), 'w')
out('record-200000-steps.json', json.dumps(dict(record, steps=[step] * 200000)), 'w')
out('record-wide-maze.json', json.dumps({'kind': 'maze', 'puzzle': ['S' + ' ' * 99998 + 'G'], 'answer': ['S' + ' ' * 99998 + 'G'], 'valid': False,
                                         'shortest': False, 'steps_used': 1, 'steps': [{'answer': ['S'], 'halt_probability': 0.5}]}), 'w')
out('record-answer-length.json', json.dumps(dict(record, answer='12', steps=[step])), 'w')
out('record-steps-used.json', json.dumps(dict(record, steps_used='1', steps=[step])), 'w')
out('record-deep.json', '{"kind": "sudoku", "steps": ' + '[' * 100000 + ']' * 100000 + '}', 'w')
with open(os.path.join(IN, 'record-65mib.json'), 'w') as f:
    f.write('{"kind": "sudoku", "pad": "'); f.write('x' * (65 << 20)); f.write('"}')
out('record-arc-huge.json', json.dumps({'kind': 'arc', 'task': 't', 'tests': [{'input': [[0] * 100000] * 1, 'attempt_1': [], 'attempt_2': [], 'steps': []}]}), 'w')

# --- files that are not files, outputs that are inputs, a dataset wrong as a whole, resume state from a GPU run
os.mkfifo(os.path.join(IN, 'fifo.txt'))
os.symlink(os.path.join(IN, 'loop.json'), os.path.join(IN, 'loop.json'))
os.symlink(os.path.join(CK, 'model.pt'), os.path.join(IN, 'answers-link.json'))
dataset('ds-pad-id', 'dataset.json', json.dumps(dict(meta, pad_id=99)).encode())
shutil.copytree(os.path.dirname(CK), os.path.join(IN, 'run-cuda'))
state_file = os.path.join(IN, 'run-cuda', os.path.basename(CK), 'trainer_state.json')
state = json.load(open(state_file)); state['exploration_generator_state'] = base64.b64encode(bytes(16)).decode()
json.dump(state, open(state_file, 'w'))

# --- CSV for `trm data sudoku`
os.makedirs(os.path.join(IN, 'csv-bad'))
out('csv-bad/train.csv', 'source,question,answer,rating\nx,' + '1' * 81 + ',' + '1' * 80 + ',0\n', 'w')
out('csv-bad/test.csv', 'source,question,answer,rating\n', 'w')
PY
[ $? -eq 0 ] || { echo "writing the hostile files failed"; exit 1; }

# ---------------------------------------------------------------------------------------------------------- the cases
snapshot() { { find "$W" -mindepth 1 -not -path "$LOG" -not -path "$LOG/*" -printf '%p\n'; } | sort; }
pass=0; fail=0; failed=()
# case NAME NEEDLE ARGS...: runs `trm ARGS` in $RUN; NEEDLE (an extended regex) must appear in the error line.
case_() {
  local name=$1 needle=$2; shift 2
  [ -n "$PATTERN" ] && ! [[ "$name" =~ $PATTERN ]] && return
  local before after rc rss secs err problems=()
  before=$(snapshot)
  (cd "$RUN" && TMPDIR="$TMP" /usr/bin/time -f '%M %e' -o "$LOG/$name.time" timeout -k 5 $((MAX_SECONDS * 2)) dotnet "$DLL" "$@" > "$LOG/$name.out" 2> "$LOG/$name.err")
  rc=$?
  after=$(snapshot)
  read -r rss secs < <(tail -1 "$LOG/$name.time")
  rss=$(( ${rss:-0} / 1024 ))
  err=$(grep -v '^[[:space:]]*$' "$LOG/$name.err" | head -1)
  [ "$rc" -eq 2 ] || problems+=("exit $rc")
  [ "$(grep -cv '^[[:space:]]*$' "$LOG/$name.err")" -eq 1 ] || problems+=("$(grep -cv '^[[:space:]]*$' "$LOG/$name.err") lines on stderr")
  # trm's own messages start with "error"; a flag that does not parse gets System.CommandLine's one line (cases flag-parse-*)
  [[ "$err" == error* || "$name" == flag-parse-* ]] || problems+=("message does not start with 'error'")
  grep -Eiq -- "$needle" <<< "$err" || problems+=("message does not name /$needle/")
  if grep -q '^   at \|Unhandled exception' "$LOG/$name.err" "$LOG/$name.out"; then problems+=("stack trace"); fi
  [ "$rss" -lt $MAX_RSS_MB ] || problems+=("peak RSS ${rss} MB")
  awk -v s="$secs" -v m=$MAX_SECONDS 'BEGIN { exit !(s < m) }' || problems+=("${secs} s")
  if [ "$before" != "$after" ]; then problems+=("left $(comm -13 <(echo "$before") <(echo "$after") | sed "s|$W/||" | tr '\n' ' ')"); fi
  local verdict=PASS
  if [ ${#problems[@]} -gt 0 ]; then verdict=FAIL; fail=$((fail + 1)); failed+=("$name")
    # remove what the case left, so that the next case starts from the same state
    comm -13 <(echo "$before") <(echo "$after") | sort -r | while read -r p; do rm -rf "$p"; done
  else pass=$((pass + 1)); fi
  printf '%s %-28s exit %-3s %5s MB %6s s  %s\n' "$verdict" "$name" "$rc" "$rss" "$secs" "${err:0:150}"
  [ ${#problems[@]} -gt 0 ] && printf '     %s\n' "$(IFS=';'; echo "${problems[*]}")"
  return 0
}
SOLVE=(solve sudoku 1...2...3...4... --checkpoint "$CK")
CONVERT_CFG=(--config "$CK/all_config.yaml")
TRAIN=(train "${TINY[@]}" checkpoint_path="$RUN/ck")

echo "work folder: $W"
# PyTorch checkpoints
case_ pt-stride0-huge        'stride0-huge.pt.*stride 0'            convert "$IN/stride0-huge.pt" "$RUN/o.safetensors" "${CONVERT_CFG[@]}"
case_ pt-size-1e12           'size-1e12.pt'                         convert "$IN/size-1e12.pt" "$RUN/o.safetensors" "${CONVERT_CFG[@]}"
case_ pt-negative-size       'negative-size.pt'                     convert "$IN/negative-size.pt" "$RUN/o.safetensors" "${CONVERT_CFG[@]}"
case_ pt-string-size         'string-size.pt'                       convert "$IN/string-size.pt" "$RUN/o.safetensors" "${CONVERT_CFG[@]}"
case_ pt-offset-past-storage 'offset-past-storage.pt'               "${SOLVE[@]}" --weights "$IN/offset-past-storage.pt"
case_ pt-binbytes-4gb        'binbytes-4gb.pt'                      convert "$IN/binbytes-4gb.pt" "$RUN/o.safetensors" "${CONVERT_CFG[@]}"
case_ pt-binunicode-4gb      'binunicode-4gb.pt'                    convert "$IN/binunicode-4gb.pt" "$RUN/o.safetensors" "${CONVERT_CFG[@]}"
case_ pt-python-object       'pickle-python-object.pt.*os.system'   "${SOLVE[@]}" --weights "$IN/pickle-python-object.pt"
case_ pt-zipbomb-pickle      'pickle-zipbomb.pt'                    convert "$IN/pickle-zipbomb.pt" "$RUN/o.safetensors" "${CONVERT_CFG[@]}"
case_ pt-truncated-zip       'truncated-zip.pt'                     "${SOLVE[@]}" --weights "$IN/truncated-zip.pt"
case_ pt-not-a-zip           'not-a-zip.pt'                         convert "$IN/not-a-zip.pt" "$RUN/o.pt" "${CONVERT_CFG[@]}"
case_ pt-wrong-shape         'embed_tokens|wrong-shape.pt'          "${SOLVE[@]}" --weights "$IN/wrong-shape.pt"
# safetensors
case_ st-header-100mb        'header-declares-100mb'                convert "$IN/header-declares-100mb.safetensors" "$RUN/o.pt"
case_ st-header-2e64         'header-declares-2e64'                 convert "$IN/header-declares-2e64.safetensors" "$RUN/o.pt"
case_ st-shape-overflow      'shape-overflow.*w'                    convert "$IN/shape-overflow.safetensors" "$RUN/o.pt" "${CONVERT_CFG[@]}"
case_ st-offsets-past-end    'offsets-past-end'                     convert "$IN/offsets-past-end.safetensors" "$RUN/o.pt" "${CONVERT_CFG[@]}"
case_ st-negative-shape      'negative-shape'                       "${SOLVE[@]}" --weights "$IN/negative-shape.safetensors"
case_ st-string-shape        'string-shape'                         convert "$IN/string-shape.safetensors" "$RUN/o.pt" "${CONVERT_CFG[@]}"
case_ st-header-not-utf8     'header-not-utf8'                      convert "$IN/header-not-utf8.safetensors" "$RUN/o.pt" "${CONVERT_CFG[@]}"
case_ st-header-deep         'header-deep'                          convert "$IN/header-deep.safetensors" "$RUN/o.pt" "${CONVERT_CFG[@]}"
case_ st-config-laughs       'config-laughs.*trm_config'            convert "$IN/config-laughs.safetensors" "$RUN/o.pt"
# configs
case_ cfg-laughs             'laughs.yaml'                          "${TRAIN[@]}" --config "$IN/laughs.yaml"
case_ cfg-checkpoint-laughs  'ck-laughs/all_config.yaml'            eval --checkpoint "$IN/ck-laughs"
case_ cfg-deep               'deep.yaml'                            "${TRAIN[@]}" --config "$IN/deep.yaml"
case_ cfg-huge               'huge.yaml'                            "${TRAIN[@]}" --config "$IN/huge.yaml"
case_ cfg-duplicate-keys     'duplicate-keys.yaml.*epochs'          "${TRAIN[@]}" --config "$IN/duplicate-keys.yaml"
case_ cfg-wrong-type         'wrong-type.yaml.*lr'                    "${TRAIN[@]}" --config "$IN/wrong-type.yaml"
case_ cfg-unknown-key        'arch.L_cycle.*L_cycles'               "${TRAIN[@]}" arch.L_cycle=4
case_ cfg-data-paths-typo    'sudoku4-1k-aug7'                      "${TRAIN[@]}" "data_paths=[$BASE/data/sudoku4-1k-aug7]"
case_ cfg-checkpoint-proc    '/proc/x'                              train "${TINY[@]}" "data_paths=[$DATA]" checkpoint_path=/proc/x/run
case_ cfg-batch-size-0       'global_batch_size'                    "${TRAIN[@]}" "data_paths=[$DATA]" global_batch_size=0
case_ cfg-lr-nan             '\blr\b'                               "${TRAIN[@]}" "data_paths=[$DATA]" lr=nan
case_ cfg-epochs-negative    'epochs'                               "${TRAIN[@]}" "data_paths=[$DATA]" epochs=-1
case_ cfg-hidden-huge        'hidden_size'                          "${TRAIN[@]}" "data_paths=[$DATA]" arch.hidden_size=1000000
case_ cfg-batch-huge         'global_batch_size'                    "${TRAIN[@]}" "data_paths=[$DATA]" global_batch_size=1000000000
case_ cfg-checkpoint-hidden  'ck-hidden-huge.*hidden_size'          "${SOLVE[@]/$CK/$IN/ck-hidden-huge}"
case_ cfg-resume-missing     'nowhere'                              train --resume "$IN/nowhere"
# ONNX export: the same readers behind `trm export onnx`, and its own refusals
case_ export-truncated-zip   'truncated-zip.pt'                     export onnx "$CK" "$RUN/o.onnx" --weights "$IN/truncated-zip.pt"
case_ export-wrong-shape     'embed_tokens|wrong-shape.pt'          export onnx "$CK" "$RUN/o.onnx" --weights "$IN/wrong-shape.pt"
case_ export-hidden-huge     'ck-hidden-huge.*hidden_size'          export onnx "$IN/ck-hidden-huge" "$RUN/o.onnx"
case_ export-own-weights     "model.pt is the checkpoint's own"     export onnx "$CK" "$CK/model.pt" --force
case_ export-seq-len-zero    '--seq-len'                            export onnx "$CK" "$RUN/o.onnx" --seq-len 0
case_ export-seq-len-other   '--seq-len is 5'                       export onnx "$CK" "$RUN/o.onnx" --seq-len 5
# datasets
for ds in npy-1e11 npy-magic npy-fortran npy-object npy-header-2gb npy-truncated npy-negative; do
  case_ "ds-$ds"             'all__inputs.npy'                      "${TRAIN[@]}" "data_paths=[$IN/ds-$ds]"
done
case_ ds-seq-len             'seq_len.*dataset.json'                "${TRAIN[@]}" "data_paths=[$IN/ds-seq-len]"
case_ ds-vocab               'dataset.json.*vocab_size'             "${TRAIN[@]}" "data_paths=[$IN/ds-vocab]"
case_ ds-vocab-2e9           'vocab_size.*dataset.json'             "${TRAIN[@]}" "data_paths=[$IN/ds-vocab-2e9]"
case_ ds-identifiers-2e9     'num_puzzle_identifiers.*dataset.json' "${TRAIN[@]}" "data_paths=[$IN/ds-identifiers-2e9]" arch.puzzle_emb_ndim=32
case_ ds-seq-len-string      'dataset.json.*seq_len'                "${TRAIN[@]}" "data_paths=[$IN/ds-seq-len-string]"
case_ ds-json-huge           'dataset.json.*bytes'                  "${TRAIN[@]}" "data_paths=[$IN/ds-json-huge]"
case_ ds-json-deep           'dataset.json'                         "${TRAIN[@]}" "data_paths=[$IN/ds-json-deep]"
case_ ds-index-past-end      'puzzle_indices'                       "${TRAIN[@]}" "data_paths=[$IN/ds-index-past-end]"
case_ ds-eval-npy-1e11       'all__inputs.npy'                      eval --checkpoint "$CK" --data "$IN/ds-test-npy-1e11"
case_ ds-sudoku-csv          'train.csv'                            data sudoku --input "$IN/csv-bad" --out "$RUN/ds"
# ARC tasks
case_ arc-wide               'arc-wide.json.*train\[0\]'            render arc "$IN/arc-wide.json" --out "$RUN/a.png"
case_ arc-tall               'arc-tall.json.*train\[0\]'            render arc "$IN/arc-tall.json" --out "$RUN/a.png"
case_ arc-colour             'arc-colour.json.*train\[0\]'          render arc "$IN/arc-colour.json" --out "$RUN/a.png"
case_ arc-float              'arc-float.json.*train\[0\]'           render arc "$IN/arc-float.json" --out "$RUN/a.png"
case_ arc-deep               'arc-deep.json'                        render arc "$IN/arc-deep.json" --out "$RUN/a.png"
case_ arc-many-tests         'arc-many-tests.json.*test'            render arc "$IN/arc-many-tests.json" --out "$RUN/a.png"
case_ arc-huge-file          'arc-huge-file.json.*bytes'            solve arc "$IN/arc-huge-file.json" --checkpoint "$CK"
case_ arc-not-utf8           'arc-not-utf8.json.*UTF-8'             render arc "$IN/arc-not-utf8.json" --out "$RUN/a.png"
case_ arc-solve-wide         'arc-wide.json.*train\[0\]'            solve arc "$IN/arc-wide.json" --checkpoint "$CK"
# puzzles
case_ sudoku-wrong-length    '123'                                  solve sudoku 123 --checkpoint "$CK"
case_ sudoku-wrong-symbols   'abcd'                                 solve sudoku abcdefghijklmnop --checkpoint "$CK"
case_ sudoku-long-line       'sudoku-long-line.txt'                 solve sudoku "$IN/sudoku-long-line.txt" --checkpoint "$CK"
case_ sudoku-render-length   '17|length|cells'                      render sudoku 1...2...3...4...5 --out "$RUN/s.png"
case_ maze-wrong-size        'maze-3x3.txt|3x3|seq_len'             solve maze "$IN/maze-3x3.txt" --checkpoint "$CK"
case_ maze-ragged            'maze-ragged.txt.*row 1'               solve maze "$IN/maze-ragged.txt" --checkpoint "$CK"
case_ maze-300               'maze-300.txt.*256'                    solve maze "$IN/maze-300.txt" --checkpoint "$CK"
case_ maze-render-4000       'maze-4000.txt'                 render maze "$IN/maze-4000.txt" --out "$RUN/m.png"
# solve records
case_ rec-200000-steps       'record-200000-steps.json.*steps'      render trajectory "$IN/record-200000-steps.json" --out "$RUN/t.gif"
case_ rec-wide-maze          'record-wide-maze.json.*puzzle'        render trajectory "$IN/record-wide-maze.json" --out "$RUN/t.gif"
case_ rec-answer-length      'record-answer-length.json.*answer'    render trajectory "$IN/record-answer-length.json" --out "$RUN/t.png"
case_ rec-steps-used         'record-steps-used.json.*steps_used'   render trajectory "$IN/record-steps-used.json" --out "$RUN/t.png"
case_ rec-deep               'record-deep.json'                     render trajectory "$IN/record-deep.json" --out "$RUN/t.png"
case_ rec-65mib              'record-65mib.json'                    render trajectory "$IN/record-65mib.json" --out "$RUN/t.png"
case_ rec-arc-wide           'record-arc-huge.json.*input'          render trajectory "$IN/record-arc-huge.json" --out "$RUN/t.png"
# files that are not files, outputs that are inputs (under another name), a dataset wrong as a whole, resume state
case_ files-dev-zero         '/dev/zero.*not a regular file'        solve sudoku /dev/zero --checkpoint "$CK"
case_ files-fifo             'fifo.txt.*not a regular file'         solve maze "$IN/fifo.txt" --checkpoint "$CK"
case_ files-link-loop        'loop.json'                            render trajectory "$IN/loop.json" --out "$RUN/t.png"
case_ files-convert-self     'is the input'                         convert "$CK/" "$CK" --force
case_ files-convert-parent   'holds the input'                      convert "$CK/model.pt" "$(dirname "$CK")" --force "${CONVERT_CFG[@]}"
case_ files-solve-out-link   'answers-link.json.*is the input'      "${SOLVE[@]}" --out "$IN/answers-link.json"
case_ ds-pad-id              'dataset.json.*pad_id 99'              "${TRAIN[@]}" "data_paths=[$IN/ds-pad-id]"
case_ resume-cuda-generator  'trainer_state.json.*exploration_generator_state' train --resume "$IN/run-cuda"
# flags
case_ flag-batch-size-0      '--batch-size'                         "${SOLVE[@]}" --batch-size 0
case_ flag-halt-nan          '--halt-threshold'                     "${SOLVE[@]}" --halt-threshold nan
case_ flag-max-steps-neg     '--max-steps'                          "${SOLVE[@]}" --max-steps -1
case_ flag-parse-unknown     '--bogus'                              "${SOLVE[@]}" --bogus
case_ flag-parse-word        '--batch-size'                    "${SOLVE[@]}" --batch-size many
case_ flag-eval-batch-0      '--batch-size'                         eval --checkpoint "$CK" --batch-size 0
case_ flag-eval-batch-huge   'global_batch_size 1000000000|--batch-size' eval --checkpoint "$CK" --batch-size 1000000000
case_ flag-device            'cuda:99|device'                       "${SOLVE[@]}" --device cuda:99
case_ flag-out-proc          '--out /proc/x/r.json'                 "${SOLVE[@]}" --out /proc/x/r.json
case_ flag-record-proc       '--record /proc/x/r.json.*/proc'              solve arc "$IN/arc-valid.json" --checkpoint "$CK" --record /proc/x/r.json
case_ flag-render-ext        'o.bmp|\.png'                          "${SOLVE[@]}" --render "$RUN/o.bmp"
case_ flag-cell-huge         '--cell|pixels'                        render sudoku 1...2...3...4... --out "$RUN/s.png" --cell 100000
case_ flag-delay-negative    '--delay'                              render trajectory "$IN/record-valid.json" --out "$RUN/t.gif" --delay -5
case_ flag-dtype             '--dtype|float8'                       convert "$CK" "$RUN/o.pt" --dtype float8

echo "$pass passed, $fail failed of $((pass + fail)) (logs: $LOG)"
[ $fail -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
[ -n "$KEEP" ] || rm -rf "$W"
