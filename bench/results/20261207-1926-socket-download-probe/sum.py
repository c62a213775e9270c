import sys,re,statistics
for f in sys.argv[1:]:
    d={}
    for l in open(f):
        m=re.match(r'round (\d+) port (\d+): \[[^\]]*\] (\d+) (\d+) (\d+) (\d+)',l)
        if m and int(m.group(1))>=2:
            d.setdefault(m.group(2),[]).append((int(m.group(3)),int(m.group(5))))
    out=[]
    for p,v in sorted(d.items()):
        out.append("%s: med %d Mbit/s (%s) vol %d"%(p,statistics.median([x[0] for x in v]),",".join(str(x[0]) for x in v),statistics.median([x[1] for x in v])))
    print(f, " | ".join(out))
