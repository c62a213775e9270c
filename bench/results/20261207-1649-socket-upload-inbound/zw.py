import sys, statistics
# times from each zero-window ACK (first of a run) to the next ACK opening the window, per port
for f in sys.argv[1:]:
    rows=[l.split() for l in open(f) if len(l.split())==4]
    for port in ('9','1009'):
        r=[(float(t),int(w)) for t,p,w,a in rows if p==port]
        gaps=[]; zero_at=None; zeros=0
        for t,w in r:
            if w==0:
                zeros+=1
                if zero_at is None: zero_at=t
            elif zero_at is not None:
                gaps.append((t-zero_at)*1e6); zero_at=None
        if gaps:
            g=sorted(gaps)
            print(f,port,'acks',len(r),'zero-window acks',zeros,'episodes',len(g),'us to update: median %.0f p10 %.0f p90 %.0f max %.0f'%(statistics.median(g),g[len(g)//10],g[len(g)*9//10],g[-1]))
        else:
            print(f,port,'acks',len(r),'zero-window acks',zeros)
