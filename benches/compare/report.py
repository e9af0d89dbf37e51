"""Runs every measurement of the comparison and writes RESULTS.md. Called by run.sh (stdlib
only; integrify runs in its own virtualenv through INTEGRIFY_PYTHON).

Environment (set by run.sh):
  ROOT              the workspace root
  TARGET            the cargo target dir (release binaries, criterion output)
  INTEGRIFY_PYTHON  the venv's python, or empty when integrify could not be installed
  INTEGRIFY_NOTE    why integrify is missing, when it is
  QUICK             "1" for a short smoke run (numbers not meaningful)
  HELLO_BIN         a hello-world Rust binary built with the same release profile (RSS
                    baseline), or empty
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.environ['ROOT']
TARGET = os.environ['TARGET']
PY = os.environ.get('INTEGRIFY_PYTHON') or None
PY_NOTE = os.environ.get('INTEGRIFY_NOTE', '')
QUICK = os.environ.get('QUICK') == '1'
HELLO = os.environ.get('HELLO_BIN') or None
REL = f'{TARGET}/release'
COMPARE = f'{ROOT}/benches/compare'
FIXTURES = f'{ROOT}/core/tests/fixtures'
WORK = os.environ.get('WORK_DIR', '/tmp')

EPOINT_ENV = {
    'EPOINT_PUBLIC_KEY': 'i000000001',
    'EPOINT_PRIVATE_KEY': 'd3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d',
    'KAPITAL_USERNAME': 'TerminalSys/kapital',
    'KAPITAL_PASSWORD': 'kapital123',
}
SANDBOX_ENV = {
    'EPOINT_PUBLIC_KEY': 'i000000001',
    'EPOINT_PRIVATE_KEY': 'sandbox0private0key0for0azpay0i000000001',
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


PY_VERSIONS = ''
TIME = '/usr/bin/time' if os.path.exists('/usr/bin/time') else None
RSS_FILE = os.path.join(WORK, 'rss')


def run(cmd, env=None, stdin=None):
    """Runs cmd; returns (stdout, wall seconds, peak RSS in KiB of the child).

    Peak RSS comes from GNU time (`%M`): the rusage of a child forked straight from this Python
    process would count this process's own pages (ru_maxrss includes the image before exec).
    Wall time is measured here, spawn to exit, the same way for every client."""
    full_env = {**os.environ, **(env or {})}
    if TIME:
        cmd = [TIME, '-f', '%M', '-o', RSS_FILE, *cmd]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL if stdin is None else stdin, env=full_env)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f'{cmd} failed: {err.decode(errors="replace")[-2000:]}')
    rss = usage.ru_maxrss
    if TIME:
        with open(RSS_FILE) as f:
            rss = int(f.read().split()[-1])
    return out.decode(), wall, rss


def spawn_wall(cmd, env):
    """Wall seconds from posix_spawn (vfork, no shell, no wrapper) to exit; output discarded."""
    full_env = {**os.environ, **env}
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, full_env,
                             file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status = os.waitpid(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f'{cmd} failed')
    return wall


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith('{')]


def fmt_ns(ns):
    if ns is None:
        return 'n/a'
    if ns >= 1e6:
        return f'{ns / 1e6:.2f} ms'
    if ns >= 1e3:
        return f'{ns / 1e3:.2f} µs'
    return f'{ns:.0f} ns'


def ratio(a, b):
    if a is None or b is None or b == 0:
        return 'n/a'
    return f'{a / b:.1f}x' if a / b >= 10 else f'{a / b:.2f}x'


def spread(lo, hi):
    return f'{fmt_ns(lo)} – {fmt_ns(hi)}'


def callgrind_ir(args):
    out = f'{WORK}/cg.out'
    subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={out}',
                    f'{REL}/opcost', *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    with open(out) as f:
        for line in f:
            if line.startswith('summary:') or line.startswith('totals:'):
                return int(line.split()[1])
    raise RuntimeError('no totals in callgrind output')


def callgrind(names):
    """Instructions per call (valgrind callgrind): noise-free, unlike time on a shared box."""
    if subprocess.run(['which', 'valgrind'], capture_output=True).returncode != 0:
        return {}
    iters = 200
    res = {}
    for name in names:
        row = {}
        for side in ('azpay', 'floor'):
            base = callgrind_ir(['--only', name, '--side', side, '--iters', '0'])
            full = callgrind_ir(['--only', name, '--side', side, '--iters', str(iters)])
            row[side] = (full - base) / iters
        res[name] = row
        log(' ', name, row)
    return res


def criterion(name, fn):
    path = f'{TARGET}/criterion/{name}/{fn}/new/estimates.json'
    try:
        with open(path) as f:
            return json.load(f)['median']['point_estimate']
    except (OSError, KeyError, ValueError):
        return None


def machine():
    model = 'unknown'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()
    return {
        'nproc': os.cpu_count(),
        'cpu': model,
        'kernel': platform.release(),
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'load': f'{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}',
    }


def main():
    m = machine()
    log('machine:', m)
    # ---------------------------------------------------------------- per operation
    log('per-operation: azpay and floor (opcost)')
    quick = ['--quick'] if QUICK else []
    ours = {r['name']: r for r in jsonl(run([f'{REL}/opcost', *quick])[0])}
    instr = callgrind(list(ours))
    callback_file = f'{WORK}/epoint_callback.body'
    run([f'{REL}/opcost', '--callback-body', callback_file])
    theirs = {}
    global PY_VERSIONS
    if PY:
        PY_VERSIONS = run([PY, '-c', 'import importlib.metadata as m, sys; print(", ".join('
                           'f"{p} {m.version(p)}" for p in ("integrify-epoint", '
                           '"integrify-kapitalbank", "integrify-core", "pydantic", "httpx")) '
                           '+ f", Python {sys.version.split()[0]}")'])[0].strip()
        log('per-operation: integrify (dry mode)')
        out, _, _ = run([PY, f'{COMPARE}/integrify_ops.py', FIXTURES, callback_file, *quick],
                        env=EPOINT_ENV)
        theirs = {r['name']: r for r in jsonl(out)}

    # ---------------------------------------------------------------- CLI start-up
    log('CLI start-up')
    n = 5 if QUICK else 21
    azpay_cmd = [f'{REL}/azpay', '--dry-run', 'epoint', 'pay', '--amount', '30.75',
                 '--currency', 'AZN', '--order-id', '1', '--description', 'test payment']
    cli = {}
    cmds = {'azpay': azpay_cmd}
    if PY:
        cmds['integrify'] = [PY, f'{COMPARE}/integrify_cli.py']
    if HELLO:
        cmds['hello world (Rust)'] = [HELLO]
    for k, cmd in cmds.items():
        walls = [spawn_wall(cmd, EPOINT_ENV) for _ in range(n)]
        rss = [run(cmd, env=EPOINT_ENV)[2] for _ in range(5)]
        cli[k] = (walls, rss)

    # ---------------------------------------------------------------- transports
    log('transports against the sandbox')
    secs = '1' if QUICK else '3'
    reps = 1 if QUICK else 3
    server = subprocess.Popen([f'{REL}/loadgen', 'serve'], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=os.environ)
    base = server.stdout.readline().decode().strip().removeprefix('BASE=')
    tx = server.stdout.readline().decode().strip().removeprefix('TX=')
    loads = []
    try:
        configs = [('blocking', [f'{REL}/loadgen', 'blocking', base, tx, secs], {})]
        if PY:
            configs.append(('integrify (httpx sync)',
                            [PY, f'{COMPARE}/integrify_load.py', base, tx, secs], SANDBOX_ENV))
        for k in (1, 16, 64):
            configs.append((f'hyper, {k} in flight',
                            [f'{REL}/loadgen', 'hyper', base, tx, secs, str(k)], {}))
        for label, cmd, env in configs:
            samples = []
            for _ in range(reps):
                out, _, rss = run(cmd, env=env)
                row = jsonl(out)[0]
                samples.append((row['rps'], rss, row.get('errors', 0)))
            loads.append((label, samples))
            log(' ', label, samples)
    finally:
        server.stdin.close()
        server.wait(timeout=10)

    write(m, ours, theirs, cli, loads, instr)


def write(m, ours, theirs, cli, loads, instr):
    L = []
    L.append('# azpay benchmarks: results\n')
    L.append('Written by `benches/compare/run.sh`; every number below comes from one run of it.\n')
    L.append(f'- Machine: {m["nproc"]} CPUs, `{m["cpu"]}`, Linux {m["kernel"]}')
    L.append(f'- Date: {m["date"]}; load average at start (1/5/15 min): {m["load"]}')
    L.append('- The machine was shared with other compile jobs while this ran: absolute timings are '
             'noisy; ratios measured in the same run are the numbers to read. Spread = fastest '
             'and slowest of the batches.')
    if QUICK:
        L.append('- **QUICK=1 smoke run: numbers are not meaningful.**')
    if not PY:
        L.append(f'- integrify columns skipped: {PY_NOTE}')
    else:
        L.append(f'- integrify (PyPI, installed by run.sh into a temporary venv): {PY_VERSIONS}')
    L.append('\nReproduce (from the workspace root): `benches/compare/run.sh`\n')

    L.append('## Per operation\n')
    L.append('Median time per call (`opcost`: 15 batches of ~0.1 s each, after warm-up; '
             'criterion\'s median beside it for azpay), allocations per call (counting global '
             'allocator), the floor (same bytes from a hand-composed minimal sequence of the same '
             'primitives; unit tests assert byte equality / equal extracted values), instructions '
             'per call from valgrind callgrind (200 calls minus 0 calls; independent of the '
             'machine\'s load, so the most reliable ratio here) and '
             'integrify 1.x in dry mode (build without sending), same run.\n')
    L.append('| operation | azpay | azpay spread | criterion azpay | floor | azpay/floor (time) | '
             'instructions azpay / floor | azpay/floor (instr.) | allocs azpay / floor | '
             'integrify | integrify/azpay | integrify/floor |')
    L.append('|---|---|---|---|---|---|---|---|---|---|---|---|')
    for name, r in ours.items():
        t = theirs.get(name)
        if t is None:
            ti, tr = ('n/a (no TWEC support)' if name.startswith('twec') else 'n/a'), 'n/a'
            tf = 'n/a'
        elif 'error' in t:
            ti, tr, tf = f'fails: {t["error"][:80]}', 'n/a', 'n/a'
        else:
            ti, tr = fmt_ns(t['ns']), ratio(t['ns'], r['azpay_ns'])
            tf = ratio(t['ns'], r['floor_ns'])
        crit = criterion(name, 'azpay')
        ir = instr.get(name)
        irs = f'{ir["azpay"]:,.0f} / {ir["floor"]:,.0f}' if ir else 'n/a'
        irr = ratio(ir['azpay'], ir['floor']) if ir else 'n/a'
        L.append(f'| {name} | {fmt_ns(r["azpay_ns"])} | '
                 f'{spread(r["azpay_ns_min"], r["azpay_ns_max"])} | {fmt_ns(crit)} | '
                 f'{fmt_ns(r["floor_ns"])} | {ratio(r["azpay_ns"], r["floor_ns"])} | {irs} | {irr} | '
                 f'{r["azpay_allocs"]:.0f} / {r["floor_allocs"]:.0f} | {ti} | {tr} | {tf} |')
    L.append('\nTargets (reported, not asserted): ≥15x faster than integrify; within 1.3x of the '
             'floor. integrify/floor is the most any client built on these primitives could '
             'reach against integrify on that operation.\n')

    L.append('## CLI start-up\n')
    L.append('`azpay --dry-run epoint pay --amount 30.75 --currency AZN --order-id 1 '
             '--description "test payment"` (release build) against a one-shot Python process '
             'doing the same with integrify\'s dry mode (`compare/integrify_cli.py`). Wall time '
             'from `posix_spawn` to exit (output to /dev/null), median of '
             f'{len(cli["azpay"][0])} runs; peak RSS from GNU time `%M`, median of 5 runs.\n')
    L.append('| client | wall (median) | wall spread | peak RSS (median) |')
    L.append('|---|---|---|---|')
    med = {}
    for k, (walls, rss) in cli.items():
        med[k] = (statistics.median(walls), statistics.median(rss))
        L.append(f'| {k} | {med[k][0] * 1e3:.1f} ms | {min(walls) * 1e3:.1f} – '
                 f'{max(walls) * 1e3:.1f} ms | {med[k][1] / 1024:.1f} MiB |')
    if 'hello world (Rust)' in med:
        L.append(f'\nazpay / hello world: peak RSS '
                 f'{med["azpay"][1] / med["hello world (Rust)"][1]:.2f}x (target ≤2x). The '
                 'hello world is `println!` in a crate generated at run time, built with the '
                 'workspace\'s `[profile.release]` by the same cargo.')
    if 'integrify' in med:
        L.append(f'\nintegrify / azpay: wall {med["integrify"][0] / med["azpay"][0]:.1f}x, '
                 f'memory {med["integrify"][1] / med["azpay"][1]:.1f}x '
                 '(targets: ≥50x, ≥10x).\n')

    L.append('## Transports against the sandbox (loopback, no faults)\n')
    L.append('EPoint `get-status` (a signed POST) in a loop against `azpay_sandbox::serve` '
             'on 127.0.0.1 (its server is one tokio current-thread runtime: one core; the '
             'client gets the other). Each measurement a few seconds, '
             'median of the runs; peak RSS of the client process.\n')
    L.append('| client | req/s (median) | runs | peak RSS | errors |')
    L.append('|---|---|---|---|---|')
    meds = {}
    for label, samples in loads:
        rps = [s[0] for s in samples]
        meds[label] = statistics.median(rps)
        L.append(f'| {label} | {meds[label]:.0f} | {", ".join(f"{x:.0f}" for x in rps)} | '
                 f'{statistics.median(s[1] for s in samples) / 1024:.1f} MiB | '
                 f'{sum(s[2] for s in samples)} |')
    b = meds.get('blocking')
    if b:
        parts = []
        if 'integrify (httpx sync)' in meds:
            parts.append(f'blocking / integrify: {b / meds["integrify (httpx sync)"]:.1f}x '
                         '(target ≥5x)')
        if 'hyper, 64 in flight' in meds:
            parts.append(f'hyper@64 / blocking: {meds["hyper, 64 in flight"] / b:.1f}x '
                         '(target ≥2x)')
        L.append('\n' + '; '.join(parts) + '.\n')

    notes = os.path.join(COMPARE, 'NOTES.md')
    if os.path.exists(notes):
        with open(notes) as f:
            L.append(f.read())
    with open(f'{ROOT}/benches/RESULTS.md', 'w') as f:
        f.write('\n'.join(L).rstrip() + '\n')
    log('wrote benches/RESULTS.md')


if __name__ == '__main__':
    main()
