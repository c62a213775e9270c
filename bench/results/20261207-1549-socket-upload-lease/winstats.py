import sys
for f in sys.argv[1:]:
    rows=[l.split() for l in open(f) if len(l.split())==4]
    for port in ('9','1009'):
        w=sorted(int(r[2]) for r in rows if r[1]==port)
        n=len(w)
        if not n: continue
        print(f, 'port',port,'acks',n,'p10',w[n//10],'p50',w[n//2],'p90',w[9*n//10],'zero-window',sum(1 for x in w if x==0),'below-16K',sum(1 for x in w if x<16384))
