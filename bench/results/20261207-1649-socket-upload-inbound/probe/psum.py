import re,sys,collections
# per file: per port, sums of Mbit/s and JVM ms over rounds 1.. (round 0 skipped as warm-up)
for f in sys.argv[1:]:
    d=collections.defaultdict(list)
    for line in open(f):
        m=re.match(r'round (\d+) port (\d+): \[.*?\] (\d+) (\d+) \d+ \d+ \| jvm (\d+) ms:(.*?)\| readsLed',line)
        if m and int(m.group(1))>0:
            d[m.group(2)].append((int(m.group(3)),int(m.group(5)),int(m.group(4))))
    out=[]
    for p in ('9','1009'):
        v=d[p]
        if v: out.append('%s: Mbit/s %s jvm-ms %s client-ms %s'%(p,[x[0] for x in v],[x[1] for x in v],[x[2] for x in v]))
    print(f, ' || '.join(out))
