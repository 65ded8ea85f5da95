"""Random ITK resampling cases for an ad-hoc cross-check (not committed fixtures): fuzz.sh runs it.

Usage: /usr/bin/python3 fuzz_cases.py <seed> <count> [itk-resample binary]; writes /tmp/spatial-fuzz.
"""
import json, math, os, subprocess, sys
import numpy as np
TOOL = sys.argv[3] if len(sys.argv) > 3 else '/tmp/itk-resample-build/itk-resample'
D = '/tmp/spatial-fuzz'
os.makedirs(D, exist_ok=True)
rng=np.random.default_rng(int(sys.argv[1]) if len(sys.argv)>1 else 1)
cases=[]
for t in range(int(sys.argv[2]) if len(sys.argv)>2 else 60):
    dim = 2 if rng.random()<0.35 else 3
    size=[int(v) for v in rng.integers(3, 14, size=dim)]
    if rng.random()<0.15: size[rng.integers(dim)]=1
    typ = rng.choice(['int16','float32','uint8'])
    if typ=='int16': data=rng.integers(-2000,2000,size=int(np.prod(size))).astype(np.int16)
    elif typ=='uint8': data=rng.integers(0,256,size=int(np.prod(size))).astype(np.uint8)
    else: data=(rng.normal(size=int(np.prod(size)))*100).astype(np.float32)
    def geom():
        kind=rng.integers(4)
        if kind==0: q=np.eye(dim)
        elif kind==1: q=np.eye(dim)[rng.permutation(dim)]*rng.choice([-1.,1.],size=dim)
        else:
            q,_=np.linalg.qr(rng.normal(size=(dim,dim)))
        sp=[float(v) for v in np.round(rng.uniform(0.3,2.5,size=dim), int(rng.integers(1,4)))]
        return q, sp
    qi, spi = geom()
    oi=[float(v) for v in np.round(rng.uniform(-20,20,size=dim),2)]
    if rng.random()<0.4:
        qo=qi.copy(); spo=[s*float(rng.choice([0.5,2.0,1.0,1/3])) for s in spi]; oo=list(oi)
    else:
        qo, spo = geom(); oo=[float(v) for v in (np.asarray(oi)+rng.uniform(-3,3,size=dim))]
    so=[int(v) for v in rng.integers(2, 25, size=dim)]
    interp=str(rng.choice(['nearest','linear','bspline']))
    if interp=='bspline' and min(size)==2: interp='linear'
    outType = typ if rng.random()<0.6 or typ=='uint8' else 'float32'
    if typ=='float32': outType='float32'
    default=float(rng.choice([0,-7,3.7]))
    if outType=='uint8': default=abs(default)
    inf=f'{D}/in{t}.bin'; outf=f'{D}/out{t}.bin'
    data.tofile(inf)
    toks=[dim,typ,outType,interp,default,inf,outf]+size+spi+oi+[float(v) for v in qi.ravel()]+so+spo+oo+[float(v) for v in qo.ravel()]
    open(f'{D}/p{t}.txt','w').write(' '.join(repr(x) if isinstance(x,float) else str(x) for x in toks))
    r=subprocess.run([TOOL,f'{D}/p{t}.txt'],capture_output=True,text=True)
    if r.returncode!=0: print('tool failed', t, r.stderr); continue
    cases.append(dict(t=t,dim=dim,type=typ,outType=outType,interp=interp,default=default,size=size,spacing=spi,origin=oi,direction=[float(v) for v in qi.ravel()],
      osize=so,ospacing=spo,oorigin=oo,odirection=[float(v) for v in qo.ravel()]))
json.dump(cases,open(f'{D}/cases.json','w'))
print(len(cases))
