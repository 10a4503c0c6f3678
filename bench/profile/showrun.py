import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print(f"{r['side']:5s} round {r['round']:2d}: {r['rps']:8.0f} req/s, {r['cpu_us_per_req']:6.0f} us CPU/req, non2xx {r['non_2xx']}, load {r['load']}", flush=True)
