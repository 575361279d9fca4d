#!/usr/bin/env python3
"""Generate studio-style SVG product photos for the jewelry catalog.

Reads  server/seed/catalog.json
Writes public/images/products/{product-id}.svg and public/images/categories/{id}.svg

Standard library only. Output is deterministic: every variation (angles,
sizes, background hue, styles) comes from a SHA-256 hash of the product id,
so running the script twice gives byte-identical files.

Usage: python3 scripts/gen-catalog-images.py
"""
import colorsys
import hashlib
import json
import math
import os
import random
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOG = os.path.join(ROOT, "server", "seed", "catalog.json")
OUT_DIR = os.path.join(ROOT, "public", "images", "products")
CATEGORY_DIR = os.path.join(ROOT, "public", "images", "categories")

# --------------------------------------------------------------------------
# Palettes
# --------------------------------------------------------------------------

# Metal gradient stops (light, base, shadow, highlight, deep, base) + edge colour.
METALS = {
    "gold": (["#fff6c4", "#f6e27a", "#d4a017", "#fff3b0", "#b8860b", "#f0d264"], "#7a5a0c"),
    "rose": (["#fde6dc", "#f4c2b0", "#b76e79", "#fad7ca", "#985361", "#eab3a4"], "#73404a"),
    "silver": (["#ffffff", "#f5f5f5", "#9ea7ad", "#fbfbfb", "#7c858b", "#dfe3e6"], "#596167"),
    "platinum": (["#f6f9fc", "#e5e4e2", "#8c8f94", "#edf3fa", "#6c737d", "#d2d9e2"], "#4f5660"),
}
METAL_OFFSETS = [0, 0.2, 0.42, 0.58, 0.8, 1]

# Gem colour ramps: deep -> dark -> base -> light.
GEMS = {
    "diamond": {"deep": "#43566a", "dark": "#8aa2b6", "base": "#dde9f2", "light": "#ffffff"},
    "ruby": {"deep": "#3c0309", "dark": "#6e0a16", "base": "#9b111e", "light": "#ff5c73"},
    "sapphire": {"deep": "#041a42", "dark": "#0a3478", "base": "#0f52ba", "light": "#77a9ff"},
    "emerald": {"deep": "#0c4424", "dark": "#1f7a45", "base": "#50c878", "light": "#b4f5c9"},
    "amethyst": {"deep": "#35185c", "dark": "#5e3592", "base": "#9966cc", "light": "#e2ccfa"},
}
DIAMOND_FIRE = ["#ffe6f0", "#e4fff4", "#fff2cf", "#e3ecff"]

BG_HUE = {"gold": 42, "rose": 12, "silver": 205, "platinum": 222}

# Fixed pseudo-random facet jitter (same for every gem, keeps sparkle "natural").
JIT = [((i * 0.6180339887) % 1.0 - 0.5) * 0.34 for i in range(64)]


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def n(x):
    """Compact, deterministic number formatting (1 decimal)."""
    s = "%.1f" % x
    if s.endswith(".0"):
        s = s[:-2]
    if s == "-0":
        s = "0"
    return s


COARSE = [False]  # gem symbols (about 100 units, rarely drawn larger than 1.5x) use integer coordinates


def poly(points):
    f = (lambda v: str(int(round(v)))) if COARSE[0] else n
    return "M" + " ".join("%s %s" % (f(x), f(y)) for x, y in points) + "Z"


class Facets:
    """Collects facet polygons and emits one <path> per colour (keeps files small)."""

    def __init__(self):
        self.by_fill = {}

    def add(self, points, fill):
        self.by_fill.setdefault(fill, []).append(poly(points))

    def svg(self):
        return "".join('<path fill="%s" d="%s"/>' % (f, "".join(ds)) for f, ds in self.by_fill.items())


def hx(c):
    return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))


def mix(a, b, t):
    A, B = hx(a), hx(b)
    return "#%02x%02x%02x" % tuple(int(A[i] + (B[i] - A[i]) * t + 0.5) for i in range(3))


def hls(h, l, s):
    r, g, b = colorsys.hls_to_rgb((h % 360) / 360.0, l, s)
    return "#%02x%02x%02x" % (int(r * 255 + 0.5), int(g * 255 + 0.5), int(b * 255 + 0.5))


def clamp(x, lo=0.0, hi=1.0):
    return max(lo, min(hi, x))


def rng_for(seed):
    return random.Random(int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16], 16))


def rad(a):
    return math.radians(a)


def ept(cx, cy, rx, ry, a):
    return (cx + rx * math.cos(rad(a)), cy + ry * math.sin(rad(a)))


def arc(cx, cy, rx, ry, a0, a1, move=True):
    """Elliptical arc path from angle a0 to a1 (degrees, y down)."""
    x, y = ept(cx, cy, rx, ry, a0)
    out = ["M%s %s" % (n(x), n(y))] if move else ["L%s %s" % (n(x), n(y))]
    span = a1 - a0
    segs = max(1, int(math.ceil(abs(span) / 180.0 - 1e-9)))
    sweep = 1 if span > 0 else 0
    for i in range(segs):
        b = a0 + span * (i + 1) / segs
        x, y = ept(cx, cy, rx, ry, b)
        out.append("A%s %s 0 0 %d %s %s" % (n(rx), n(ry), sweep, n(x), n(y)))
    return "".join(out)


def sparkle(x, y, s, op=0.95):
    """Four-point star glint."""
    k = s * 0.12
    d = ("M{x} {t}Q{x1} {y1} {r} {y}Q{x1} {y2} {x} {b}Q{x0} {y2} {l} {y}Q{x0} {y1} {x} {t}Z").format(
        x=n(x), y=n(y), t=n(y - s), b=n(y + s), l=n(x - s), r=n(x + s),
        x0=n(x - k), x1=n(x + k), y1=n(y - k), y2=n(y + k))
    return '<path fill="#fff" opacity="%s" d="%s"/>' % (op, d)


def use(ref, x, y, s=1.0, rot=0.0, sy=None, extra=""):
    tr = "translate(%s %s)" % (n(x), n(y))
    if rot:
        tr += " rotate(%s)" % n(rot)
    if sy is None:
        if abs(s - 1) > 1e-9:
            tr += " scale(%s)" % ("%.3g" % s)
    else:
        tr += " scale(%s %s)" % ("%.3g" % s, "%.3g" % sy)
    return '<use href="#%s" transform="%s"%s/>' % (ref, tr, extra)


def shadow(cx, cy, rx, ry, op=0.22, filt="sh"):
    return '<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="#2b211c" opacity="%s" filter="url(#%s)"/>' % (
        n(cx), n(cy), n(rx), n(ry), op, filt)


def has(text, *words):
    return any(w in text for w in words)


# --------------------------------------------------------------------------
# Gem outlines (polar radius functions, angle in degrees, y axis down)
# --------------------------------------------------------------------------

def rho_from_curve(fx, fy, samples=2880):
    table = [None] * 360
    for i in range(samples):
        t = 2 * math.pi * i / samples
        x, y = fx(t), fy(t)
        a = math.degrees(math.atan2(y, x)) % 360
        b = int(round(a)) % 360
        r = math.hypot(x, y)
        if table[b] is None or r > table[b]:
            table[b] = r
    for i in range(360):  # fill gaps (none expected, but be safe)
        if table[i] is None:
            j = 1
            while table[(i - j) % 360] is None and table[(i + j) % 360] is None:
                j += 1
            table[i] = table[(i - j) % 360] or table[(i + j) % 360]

    def rho(a):
        a %= 360
        i = int(a)
        f = a - i
        return table[i] * (1 - f) + table[(i + 1) % 360] * f
    return rho


def _pear():
    return rho_from_curve(lambda t: 44 * math.cos(t) * math.sqrt((1 + math.sin(t)) / 2),
                          lambda t: 54 * math.sin(t) + 4)


def _heart():
    return rho_from_curve(lambda t: 3.1 * 16 * math.sin(t) ** 3,
                          lambda t: -3.1 * (13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)) - 6)


def _marquise():
    return rho_from_curve(lambda t: 52 * math.cos(t), lambda t: 26 * math.sin(t) * abs(math.sin(t)) ** 0.55)


def _oval(a):
    c, s = math.cos(rad(a)), math.sin(rad(a))
    return 42 * 54 / math.sqrt((54 * c) ** 2 + (42 * s) ** 2)


def _cushion(a):
    c, s = abs(math.cos(rad(a))), abs(math.sin(rad(a)))
    return 47 * (1.0 / ((c ** 4 + s ** 4) ** 0.25)) ** 0.7


RHO = {
    "round": lambda a: 50.0,
    "oval": _oval,
    "cushion": _cushion,
    "pear": _pear(),
    "heart": _heart(),
    "marquise": _marquise(),
}
PEAR_TIP = 50.0  # pear tip sits at (0, -50) in symbol units


def gem_tone(g, t):
    t = clamp(t)
    ramp = [(0.0, g["deep"]), (0.33, g["dark"]), (0.68, g["base"]), (1.0, g["light"])]
    for (t0, c0), (t1, c1) in zip(ramp, ramp[1:]):
        if t <= t1:
            return mix(c0, c1, (t - t0) / (t1 - t0))
    return ramp[-1][1]


def face(points, fill, extra=""):
    return '<path fill="%s"%s d="%s"/>' % (fill, extra, poly(points))


# --------------------------------------------------------------------------
# Gem symbols (all about 100 units across, centred on 0,0)
# --------------------------------------------------------------------------

def brilliant(kind, cut, rot=0.0):
    g = GEMS[kind]
    rho = RHO[cut]
    light = 225.0

    def P(f, a):
        a2 = a + rot
        r = rho(a2 % 360) * f
        return (r * math.cos(rad(a2)), r * math.sin(rad(a2)))

    def tone(a, adj, i):
        t = 0.5 + 0.34 * math.cos(rad(a + rot - light)) + adj + JIT[i]
        return gem_tone(g, round(t * 14) / 14.0)

    fc = Facets()
    el = [face([P(1, 11.25 * i) for i in range(32)], gem_tone(g, 0.45),
               ' stroke="%s" stroke-width="1.6" stroke-linejoin="round"' % g["deep"])]
    T = [P(0.55, 22.5 + 45 * k) for k in range(8)]
    S = [P(0.8, 45 + 45 * k) for k in range(8)]
    Pk = [P(1, 22.5 + 45 * k) for k in range(8)]
    G = [P(1, 45 + 45 * k) for k in range(8)]
    for k in range(8):
        kn = (k + 1) % 8
        fc.add([T[k], S[k], Pk[k], S[k - 1]], tone(22.5 + 45 * k, 0.0, k))
        fc.add([T[k], T[kn], S[k]], tone(45 + 45 * k, 0.14, k + 8))
        c1 = tone(33.75 + 45 * k, -0.16, k + 16)
        c2 = tone(56.25 + 45 * k, 0.1, k + 24)
        if kind == "diamond" and k in (1, 4, 6):
            c1 = DIAMOND_FIRE[k % 4]
        if kind == "diamond" and k in (2, 7):
            c2 = DIAMOND_FIRE[(k + 1) % 4]
        fc.add([S[k], Pk[k], G[k]], c1)
        fc.add([S[k], G[k], Pk[kn]], c2)
    el.append(fc.svg())
    el.append(face(T, mix(gem_tone(g, 0.66), g["light"], 0.3)))
    el.append(face([P(0.3, 45 * k) for k in range(8)], g["deep"], ' opacity=".3"'))
    el.append(face([P(0.55, 22.5 + 45 * k) for k in (5, 6, 7)] + [P(0.2, 270)], "#fff", ' opacity=".28"'))
    x, y = P(0.38, 235 - rot)
    el.append(sparkle(x, y, 17))
    x, y = P(0.72, 25 - rot)
    el.append(sparkle(x, y, 8, 0.8))
    return "".join(el)


def emerald_cut(kind):
    g = GEMS[kind]

    def ring(a, b, c):
        return [(-a + c, -b), (a - c, -b), (a, -b + c), (a, b - c), (a - c, b), (-a + c, b), (-a, b - c), (-a, -b + c)]
    rings = [ring(36, 50, 11), ring(29, 42, 8), ring(23, 35, 6), ring(17, 27, 4)]
    normals = [270, 315, 0, 45, 90, 135, 180, 225]
    adj = [0.06, -0.14, 0.1]
    el = [face(rings[0], gem_tone(g, 0.4), ' stroke="%s" stroke-width="1.6" stroke-linejoin="round"' % g["deep"])]
    fc = Facets()
    for lv in range(3):
        r1, r2 = rings[lv], rings[lv + 1]
        for i in range(8):
            j = (i + 1) % 8
            t = 0.5 + 0.36 * math.cos(rad(normals[i] - 225)) + adj[lv] + JIT[lv * 8 + i] * 0.5
            fc.add([r1[i], r1[j], r2[j], r2[i]], gem_tone(g, round(t * 14) / 14.0))
    el.append(fc.svg())
    el.append(face(rings[3], mix(gem_tone(g, 0.62), g["light"], 0.25)))
    el.append(face(ring(10, 17, 3), g["deep"], ' opacity=".25"'))
    el.append(face([(-17, -23), (-13, -27), (13, -27), (0, -10)], "#fff", ' opacity=".25"'))
    el.append(sparkle(-12, -20, 16))
    el.append(sparkle(22, 30, 7, 0.75))
    return "".join(el)


def profile_brilliant(kind):
    """Side view of a round brilliant (girdle width 100, girdle at y=0)."""
    g = GEMS[kind]
    gx = [-50, -25, 0, 25, 50]
    tx = [-28, -9.5, 9.5, 28]
    ty = -23
    el = []
    # pavilion
    px = [-50, -30, -10, 10, 30, 50]
    for i in range(5):
        mid = (px[i] + px[i + 1]) / 2.0
        t = 0.34 - 0.22 * mid / 50 + (0.14 if i % 2 else -0.06) + JIT[i + 3] * 0.6
        if kind == "diamond" and i == 3:
            fill = DIAMOND_FIRE[0]
        else:
            fill = gem_tone(g, t)
        el.append(face([(px[i], 0), (px[i + 1], 0), (0, 52)], fill))
    # crown
    tris = []
    for i in range(4):
        tris.append([(gx[i], 0), (tx[i], ty), (gx[i + 1], 0)])
        if i < 3:
            tris.append([(tx[i], ty), (tx[i + 1], ty), (gx[i + 1], 0)])
    for i, tri in enumerate(tris):
        mid = sum(p[0] for p in tri) / 3.0
        up = tri[1][1] == ty and tri[0][1] == ty
        t = 0.6 - 0.3 * mid / 50 + (0.16 if up else -0.04) + JIT[i + 12] * 0.7
        fill = gem_tone(g, t)
        if kind == "diamond" and i == 4:
            fill = DIAMOND_FIRE[2]
        el.append(face(tri, fill))
    # table seen slightly from above
    el.append(face([(-28, ty), (-20, -30), (20, -30), (28, ty), (19, -19), (-19, -19)],
                   mix(gem_tone(g, 0.72), g["light"], 0.35)))
    el.append(face([(-20, -30), (20, -30), (6, -22), (-12, -21)], "#fff", ' opacity=".3"'))
    outline = [(-50, 0), (-28, ty), (-20, -30), (20, -30), (28, ty), (50, 0), (0, 52)]
    el.append('<path fill="none" stroke="%s" stroke-width="1.4" stroke-linejoin="round" d="%s"/>' % (g["deep"], poly(outline)))
    el.append('<path stroke="%s" stroke-width="2" opacity=".6" d="M-50 0H50"/>' % g["deep"])
    el.append(sparkle(-14, -25, 18))
    el.append(sparkle(24, 12, 8, 0.7))
    return "".join(el)


def profile_emerald(kind):
    """Side view of an emerald (step) cut, girdle width 100."""
    g = GEMS[kind]
    el = []
    bands = [
        ([(-50, 0), (50, 0), (41, 15), (-41, 15)], 0.42),
        ([(-41, 15), (41, 15), (29, 29), (-29, 29)], 0.25),
        ([(-29, 29), (29, 29), (14, 39), (-14, 39)], 0.4),
        ([(-50, 0), (-43, -10), (43, -10), (50, 0)], 0.62),
        ([(-43, -10), (-35, -18), (35, -18), (43, -10)], 0.8),
    ]
    for i, (pts, t) in enumerate(bands):
        el.append(face(pts, gem_tone(g, t)))
        # left / right end facets shaded
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
        el.append(face([(x0, y0), (x0 + 14, y0), (x3 + 10, y3), (x3, y3)], gem_tone(g, t + 0.18)))
        el.append(face([(x1 - 14, y1), (x1, y1), (x2, y2), (x2 - 10, y2)], gem_tone(g, t - 0.2)))
    el.append(face([(-35, -18), (-26, -25), (26, -25), (35, -18), (24, -14), (-24, -14)],
                   mix(gem_tone(g, 0.7), g["light"], 0.3)))
    el.append(face([(-26, -25), (4, -25), (-8, -17), (-24, -16)], "#fff", ' opacity=".3"'))
    outline = [(-50, 0), (-43, -10), (-35, -18), (-26, -25), (26, -25), (35, -18), (43, -10), (50, 0),
               (41, 15), (29, 29), (14, 39), (-14, 39), (-29, 29), (-41, 15)]
    el.append('<path fill="none" stroke="%s" stroke-width="1.4" stroke-linejoin="round" d="%s"/>' % (g["deep"], poly(outline)))
    el.append(sparkle(-16, -20, 16))
    el.append(sparkle(30, 8, 7, 0.7))
    return "".join(el)


# --------------------------------------------------------------------------
# Per-piece drawing context: owns the piece's <defs> with prefixed ids
# --------------------------------------------------------------------------

class Ctx:
    def __init__(self, prefix, metal, seed, bgc):
        self.p = prefix
        self.metal = metal
        self.rng = rng_for(seed)
        self.bgc = bgc  # background mid colour (used for see-through chain links)
        self.defs = []
        self.keys = set()

    def add(self, key, build):
        full = self.p + key
        if key not in self.keys:
            self.keys.add(key)
            self.defs.append(build(full))
        return full

    # metal ---------------------------------------------------------------
    def col(self, which):
        stops, edge = METALS[self.metal]
        return {"light": stops[0], "hi": stops[3], "mid": mix(stops[1], stops[2], 0.45),
                "shade": stops[4], "edge": edge}[which]

    def mg(self, kind="m"):
        return "url(#%s)" % self.add("m" + kind, lambda i: self._metal_grad(i, kind))

    def _metal_grad(self, gid, kind):
        stops, edge = METALS[self.metal]
        if kind == "d":
            stops = [mix(s, edge, 0.42) for s in stops]
        if kind == "r":
            st = [(0, stops[0]), (0.35, stops[1]), (0.75, stops[2]), (1, stops[4])]
            body = "".join('<stop offset="%s" stop-color="%s"/>' % (o, c) for o, c in st)
            return '<radialGradient id="%s" cx=".5" cy=".5" fx=".35" fy=".3" r=".55">%s</radialGradient>' % (gid, body)
        geo = {"m": 'x1="0" y1="0" x2="1" y2="1"', "d": 'x1="0" y1="0" x2="1" y2="1"',
               "h": 'x1="0" y1="0" x2="1" y2="0"', "v": 'x1="0" y1="0" x2="0" y2="1"',
               "c": 'x1="0" y1="0" x2=".16" y2=".1" spreadMethod="reflect"'}[kind]
        if kind == "h":
            offs = [0, 0.12, 0.3, 0.46, 0.7, 1]
            stops = [stops[4], stops[1], stops[3], stops[2], stops[0], stops[4]]
        else:
            offs = METAL_OFFSETS
        body = "".join('<stop offset="%s" stop-color="%s"/>' % (o, c) for o, c in zip(offs, stops))
        return '<linearGradient id="%s" %s>%s</linearGradient>' % (gid, geo, body)

    # gems ----------------------------------------------------------------
    def gem(self, kind, cut, rot=0.0):
        """Return the id of a <g> symbol for the gem (about 100 units across)."""
        if kind == "pearl":
            return self.pearl()
        key = "%s-%s%s" % (kind, cut, ("-%d" % int(rot)) if rot else "")

        def build(gid):
            COARSE[0] = True
            if cut == "emerald":
                body = emerald_cut(kind)
            elif cut == "profile":
                body = profile_brilliant(kind)
            elif cut == "profile-emerald":
                body = profile_emerald(kind)
            else:
                body = brilliant(kind, cut, rot)
            COARSE[0] = False
            return '<g id="%s">%s</g>' % (gid, body)
        return self.add(key, build)

    def pearl(self):
        def build(gid):
            pg = self.add("pg", lambda i: (
                '<radialGradient id="%s" cx=".42" cy=".4" fx=".34" fy=".3" r=".62">'
                '<stop offset="0" stop-color="#fffefa"/><stop offset=".3" stop-color="#f8f0e2"/>'
                '<stop offset=".68" stop-color="#eadbc9"/><stop offset=".9" stop-color="#cdbab3"/>'
                '<stop offset="1" stop-color="#a89896"/></radialGradient>' % i))
            ps = self.add("ps", lambda i: (
                '<radialGradient id="%s" cx=".68" cy=".74" r=".5">'
                '<stop offset="0" stop-color="#f4bfd0" stop-opacity=".6"/>'
                '<stop offset=".6" stop-color="#d9e2f0" stop-opacity=".25"/>'
                '<stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>' % i))
            return ('<g id="%s"><circle r="50" fill="url(#%s)"/><circle r="50" fill="url(#%s)"/>'
                    '<ellipse cx="-17" cy="-20" rx="14" ry="9" transform="rotate(-35 -17 -20)" fill="#fff" opacity=".85"/>'
                    '<ellipse cx="19" cy="26" rx="15" ry="6" transform="rotate(-35 19 26)" fill="#fff" opacity=".25"/>'
                    '<circle r="49.5" fill="none" stroke="#9c8c88" stroke-width="1" opacity=".5"/></g>') % (gid, pg, ps)
        return self.add("pearl", build)

    def setting(self, cut):
        """Metal mount in the outline of a gem cut (drawn slightly larger behind the stone)."""
        rho = RHO[cut]
        return self.add("set-" + cut, lambda i: '<path id="%s" fill="%s" stroke="%s" stroke-width="1.2" d="%s"/>' % (
            i, self.mg("m"), self.col("edge"),
            poly([(rho(a) * math.cos(rad(a)), rho(a) * math.sin(rad(a))) for a in range(0, 360, 6)])))

    def pave(self):
        return "url(#%s)" % self.add("pv", lambda i: (
            '<radialGradient id="%s" cx=".4" cy=".38" r=".6"><stop offset="0" stop-color="#fff"/>'
            '<stop offset=".5" stop-color="#e8f2fa"/><stop offset="1" stop-color="#8fa8bc"/></radialGradient>' % i))

    def pave_dot(self, x, y, r):
        """Tiny pave-set diamond (a symbol of radius 10, scaled)."""
        pid = self.add("pd", lambda i: (
            '<g id="%s"><circle r="10" fill="%s" stroke="%s" stroke-width="1.2"/>'
            '<circle cx="-3" cy="-3" r="2.8" fill="#fff"/></g>') % (i, self.pave(), self.col("edge")))
        return use(pid, x, y, r / 10.0)

    def bead(self, x, y, r):
        """Small polished metal bead (prong tip, clasp ball)."""
        return '<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width=".8"/>' % (
            n(x), n(y), n(r), self.mg("r"), self.col("edge"))


def gem_cut(text, gem, default="round"):
    if gem == "emerald" and not has(text, "briolette", "pear", "leaves", "round"):
        return "emerald"
    if has(text, "pear-shaped", "briolette", " pear "):
        return "pear"
    if has(text, "oval"):
        return "oval"
    if has(text, "cushion"):
        return "cushion"
    return default


# --------------------------------------------------------------------------
# Rings
# --------------------------------------------------------------------------

def draw_ring(c, text, gem, style=None):
    r = c.rng
    cx = 400 + r.uniform(-14, 14)
    rxk = r.uniform(0.76, 0.9)
    if style is None:
        if has(text, "eternity", "all the way around"):
            style = "eternity"
        elif has(text, "channel"):
            style = "channel"
        elif has(text, "signet"):
            style = "signet"
        elif has(text, "halo", "cocktail"):
            style = "halo"
        elif has(text, "bezel"):
            style = "bezel"
        elif gem == "none":
            style = "plain"
        else:
            style = r.choice(["solitaire", "solitaire", "bezel"])
    w = {"channel": 34, "eternity": 30, "plain": 34}.get(style, 24)
    headless = style in ("channel", "eternity", "plain")
    cy, ry = (440, 172.0) if headless else (478, 148.0)
    rx = ry * rxk
    off = r.uniform(8, 13) * r.choice((-1, 1))
    tilt = r.uniform(-6, 6)
    out = [shadow(cx, cy + ry + w / 2 + 16, rx * 1.05, 20, 0.24, "sh"),
           shadow(cx + off, cy + ry + w / 2 + 3, rx * 0.55, 7, 0.32, "sc")]
    fx = cx + off
    g = ['<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="%s"/>' % (
        n(cx - off), n(cy), n(rx), n(ry), c.mg("d"), w),
        '<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="%s"/>' % (
        n(fx), n(cy), n(rx), n(ry), c.mg("m"), w),
        '<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="1.3" opacity=".45"/>' % (
        n(fx), n(cy), n(rx - w / 2), n(ry - w / 2), c.col("edge")),
        '<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="1" opacity=".35"/>' % (
        n(fx), n(cy), n(rx + w / 2), n(ry + w / 2), c.col("edge")),
        '<path fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" opacity=".75" d="%s"/>' % arc(
        fx, cy, rx - w * 0.18, ry - w * 0.18, 150, 205),
        '<path fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" opacity=".5" d="%s"/>' % arc(
        fx, cy, rx + w * 0.22, ry + w * 0.22, 20, 62)]
    x0, y0 = fx, cy - ry - w / 2 + 3
    cut = gem_cut(text, gem)

    if style in ("channel", "eternity"):
        if style == "channel":
            angles = [270 + 10.5 * i for i in range(-3, 4)]
            s = 0.27
        else:
            angles = [270 + 360.0 / 22 * i for i in range(22)]
            s = 0.22
        g.append('<path fill="none" stroke="%s" stroke-width="1.5" opacity=".5" d="%s%s"/>' % (
            c.col("edge"), arc(fx, cy, rx - 11, ry - 11, angles[0] - 6, angles[-1] + 6) if style == "channel" else "",
            arc(fx, cy, rx + 11, ry + 11, angles[0] - 6, angles[-1] + 6) if style == "channel" else ""))
        gid = c.gem(gem, "round", r.choice([0, 10, 20]))
        for a in angles:
            x, y = ept(fx, cy, rx, ry, a)
            sq = 0.55 + 0.45 * abs(math.sin(rad(a)))
            g.append(use(gid, x, y, s, a + 90, s * sq))
    elif style == "plain":
        g.append('<path fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" opacity=".35" d="%s"/>' % arc(
            fx, cy, rx, ry, 215, 255))
    else:
        W = 100 * {"halo": 1.45, "bezel": 1.45}.get(style, 1.55)
        if gem == "pearl" or style == "signet":
            # signet plate with a pearl crown
            g.append(face([(x0 - 60, y0 - 16), (x0 - 36, y0 + 8), (x0 + 36, y0 + 8), (x0 + 60, y0 - 16)], c.mg("d")))
            g.append('<ellipse cx="%s" cy="%s" rx="62" ry="18" fill="%s" stroke="%s" stroke-width="1"/>' % (
                n(x0), n(y0 - 16), c.mg("m"), c.col("edge")))
            g.append('<ellipse cx="%s" cy="%s" rx="24" ry="7" fill="%s"/>' % (n(x0), n(y0 - 19), c.col("shade")))
            if gem == "pearl":
                g.append(use(c.pearl(), x0, y0 - 66, 1.0))
            elif gem != "none":
                g.append(use(c.gem(gem, cut), x0, y0 - 22, 0.5, 0, 0.3))
        elif style == "halo":
            # cocktail head: the stone face tilted towards the camera inside a pave halo
            s, q = 1.4, 0.62
            yc = y0 - 52
            ah, bh = 50 * s + 15, (36 if cut == "emerald" else 50) * s * q + 16

            def se(a, b, t):
                ct, st = math.cos(rad(t)), math.sin(rad(t))
                return (x0 + a * math.copysign(abs(ct) ** 0.45, ct), yc + b * math.copysign(abs(st) ** 0.45, st))
            g.append(face([(x0 - ah * 0.55, yc + bh * 0.6), (x0 + ah * 0.55, yc + bh * 0.6), (x0 + 20, y0 + 8), (x0 - 20, y0 + 8)],
                          c.mg("d"), ' stroke="%s" stroke-width=".8"' % c.col("edge")))
            g.append(face([se(ah + 4, bh + 4, t) for t in range(0, 360, 10)], c.mg("m"), ' stroke="%s" stroke-width="1"' % c.col("edge")))
            loop = [se(ah - 6, bh - 6, t / 4.0) for t in range(1440)]
            lens = [0.0]
            for p1, p2 in zip(loop, loop[1:] + loop[:1]):
                lens.append(lens[-1] + math.hypot(p2[0] - p1[0], p2[1] - p1[1]))
            k = 24
            j = 0
            for i in range(k):
                target = lens[-1] * (i + 0.5) / k
                while lens[j + 1] < target:
                    j += 1
                x, y = loop[j]
                g.append(c.pave_dot(x, y, 6.5))
            if cut == "emerald":
                g.append(use(c.gem(gem, "emerald"), x0, yc, s * q, 90, s))
            else:
                g.append(use(c.gem(gem, cut), x0, yc, s, 0, s * q))
        else:
            yg = y0 - (66 if style == "solitaire" else 44)
            prof = c.gem(gem, "profile-emerald" if cut == "emerald" else "profile")
            if style == "solitaire":
                # gallery basket behind + gem + front claws
                rail = "M%s %sQ%s %s %s %s" % (n(x0 - W * 0.4), n(yg + 24), n(x0), n(yg + 40), n(x0 + W * 0.4), n(yg + 24))
                g.append('<path fill="none" stroke="%s" stroke-width="7" stroke-linecap="round" d="%s"/>' % (c.col("shade"), rail))
                g.append('<path fill="none" stroke="%s" stroke-width="3.5" stroke-linecap="round" d="%s"/>' % (c.col("hi"), rail))
                g.append('<path fill="none" stroke="%s" stroke-width="6" d="M%s %sQ%s %s %s %s"/>' % (
                    c.col("shade"), n(x0 - 16), n(y0 + 6), n(x0), n(yg + 20), n(x0 + 16), n(y0 + 6)))
                g.append(use(prof, x0, yg, W / 100))
                claws = [-0.47, -0.17, 0.17, 0.47] if has(text, "six") else [-0.36, 0.36]
                for p in claws:
                    px = x0 + p * W
                    d = "M%s %sQ%s %s %s %sL%s %s" % (n(x0 + p * W * 0.3), n(y0 + 6), n(px + p * 30), n(yg + 18),
                                                      n(px + p * 6), n(yg - 2), n(px - p * 8), n(yg - 14))
                    g.append('<path fill="none" stroke="%s" stroke-width="8" stroke-linecap="round" stroke-linejoin="round" d="%s"/>' % (c.col("shade"), d))
                    g.append('<path fill="none" stroke="%s" stroke-width="4.5" stroke-linecap="round" stroke-linejoin="round" d="%s"/>' % (c.col("hi"), d))
            else:  # bezel
                g.append(use(prof, x0, yg, W / 100 * 0.92))
                hw = W * 0.46 + 7
                g.append(face([(x0 - hw, yg - 3), (x0 + hw, yg - 3), (x0 + W * 0.2, y0 + 8), (x0 - W * 0.2, y0 + 8)], c.mg("m"),
                              ' stroke="%s" stroke-width="1"' % c.col("edge")))
                g.append('<path stroke="%s" stroke-width="2.5" stroke-linecap="round" opacity=".8" d="M%s %sH%s"/>' % (
                    c.col("light"), n(x0 - hw + 3), n(yg - 1), n(x0 + hw - 3)))
                if has(text, "hammered"):
                    for _ in range(7):
                        hx_ = x0 + r.uniform(-hw * 0.7, hw * 0.7)
                        hy_ = yg + r.uniform(6, 34)
                        g.append('<ellipse cx="%s" cy="%s" rx="%s" ry="3" fill="#fff" opacity=".35"/>' % (
                            n(hx_), n(hy_), n(r.uniform(4, 7))))
    out.append('<g transform="rotate(%s %s %s)">%s</g>' % (n(tilt), n(cx), n(cy), "".join(g)))
    return out


# --------------------------------------------------------------------------
# Necklaces
# --------------------------------------------------------------------------

def bez(p0, p1, p2, p3, t):
    u = 1 - t
    return (u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
            u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1])


class Curve:
    """U-shaped necklace curve made of two cubic segments meeting at the bottom."""

    def __init__(self, x0, x1, bx, yb, spread=170, ytop=-30):
        self.left = ((x0, ytop), (x0 + 18, yb * 0.62), (bx - spread, yb), (bx, yb))
        self.right = ((bx, yb), (bx + spread, yb), (x1 - 18, yb * 0.62), (x1, ytop))
        pts = [bez(*self.left, t=i / 200.0) for i in range(201)]
        pts += [bez(*self.right, t=i / 200.0) for i in range(1, 201)]
        self.pts = pts
        self.cum = [0.0]
        for a, b in zip(pts, pts[1:]):
            self.cum.append(self.cum[-1] + math.hypot(b[0] - a[0], b[1] - a[1]))
        self.mid = self.cum[200]

    def d(self):
        L, R = self.left, self.right
        return "M%s %sC%s %s %s %s %s %s" % (n(L[0][0]), n(L[0][1]), n(L[1][0]), n(L[1][1]), n(L[2][0]), n(L[2][1]),
                                           n(L[3][0]), n(L[3][1])) + "C%s %s %s %s %s %s" % (
            n(R[1][0]), n(R[1][1]), n(R[2][0]), n(R[2][1]), n(R[3][0]), n(R[3][1]))

    def at(self, s):
        """Point at arc length offset s from the bottom (negative = left)."""
        target = clamp(self.mid + s, 0, self.cum[-1])
        lo, hi = 0, len(self.cum) - 1
        while lo < hi:
            m = (lo + hi) // 2
            if self.cum[m] < target:
                lo = m + 1
            else:
                hi = m
        return self.pts[lo]


def chain(c, d, style, scale=1.0):
    k = scale
    sh = '<path d="%s" fill="none" stroke="#2b211c" stroke-width="%s" opacity=".16" filter="url(#sc)" transform="translate(5 9)"/>' % (d, n(6 * k))
    if style == "snake":
        parts = [(c.col("edge"), 6.5, "", ""), (c.mg("c"), 5, "", ""), ("#fff", 1.4, "", ' opacity=".6"')]
    elif style == "curb":
        parts = [(c.col("edge"), 7, "", ' opacity=".8"'), (c.mg("c"), 6, "5 1.6", ""), ("#fff", 1.6, "2.5 4.1", ' opacity=".7"')]
    elif style == "paperclip":
        parts = [(c.col("edge"), 6.5, "17 5", ""), (c.mg("c"), 5, "16 6", ""), (c.bgc, 1.8, "11 11", "")]
    elif style == "pearlthread":
        parts = [("#d8cfc4", 1.6, "", "")]
    else:  # cable / trace / box
        parts = [(c.col("edge"), 5, "", ' opacity=".55"'), (c.mg("c"), 4.5, "6 2.2", ""), ("#fff", 1.2, "2 6.2", ' opacity=".75"')]
    out = [sh]
    for stroke, wdt, dash, extra in parts:
        da = ' stroke-dasharray="%s"' % " ".join(n(float(v) * k) for v in dash.split()) if dash else ""
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="%s"%s%s/>' % (d, stroke, n(wdt * k), da, extra))
    return "".join(out)


def bail(c, x, y):
    return ('<ellipse cx="%s" cy="%s" rx="6" ry="11" fill="none" stroke="%s" stroke-width="6"/>'
            '<ellipse cx="%s" cy="%s" rx="6" ry="11" fill="none" stroke="%s" stroke-width="3.5"/>') % (
        n(x), n(y), c.col("edge"), n(x), n(y), c.mg("m"))


def pear_point(cx, cy, s, a, inset=0.96):
    rr = RHO["pear"](a) * s * inset
    return cx + rr * math.cos(rad(a)), cy + rr * math.sin(rad(a))


def draw_necklace(c, text, gem, style=None, yb=None, x0=None, x1=None):
    r = c.rng
    bx = 400 + r.uniform(-16, 16)
    x0 = x0 if x0 is not None else 170 + r.uniform(-22, 22)
    x1 = x1 if x1 is not None else 630 + r.uniform(-22, 22)
    padded = " " + text + " "
    if style is None:
        if has(text, "strand", "hand-knotted"):
            style = "strand"
        elif has(text, "lariat", "y-shaped"):
            style = "lariat"
        elif has(padded, " bar "):
            style = "bar"
        elif has(text, "three", "graduated amethysts"):
            style = "trio"
        elif has(text, "flower", "rosette"):
            style = "rosette"
        elif has(text, "pear-shaped", " pear "):
            style = "pear"
        elif has(text, "round"):
            style = "round"
        elif gem == "none":
            style = "bar"
        else:
            style = r.choice(["round", "pear"])
    if yb is None:
        yb = {"strand": 520, "bar": 500, "trio": 500, "lariat": 380}.get(style, 440) + r.uniform(-18, 18)
    cs = "cable"
    for kw in ("snake", "curb", "paperclip", "trace", "box", "cable"):
        if kw in text:
            cs = kw
            break
    out = []
    if style == "bar":
        half = 118
        # two chain halves ending at the bar ends
        left = "M%s -30C%s %s %s %s %s %s" % (n(x0), n(x0 + 18), n(yb * 0.6), n(bx - half - 110), n(yb - 4), n(bx - half), n(yb))
        right = "M%s %sC%s %s %s %s %s -30" % (n(bx + half), n(yb), n(bx + half + 110), n(yb - 4), n(x1 - 18), n(yb * 0.6), n(x1))
        out.append(chain(c, left, cs, 1.15))
        out.append(chain(c, right, cs, 1.15))
        out.append(shadow(bx + 8, yb + 22, half + 14, 12, 0.3, "sc"))
        out.append('<rect x="%s" y="%s" width="%s" height="26" rx="13" fill="%s" stroke="%s" stroke-width="1.2"/>' % (
            n(bx - half), n(yb - 13), n(2 * half), c.mg("v"), c.col("edge")))
        for i in range(7):
            yy = yb - 8 + i * 2.6
            out.append('<path stroke="#fff" stroke-width=".8" opacity=".45" d="M%s %sH%s"/>' % (
                n(bx - half + 12 + (i % 2) * 7), n(yy), n(bx + half - 14 - (i % 3) * 6)))
        out.append('<path stroke="#fff" stroke-width="3" stroke-linecap="round" opacity=".8" d="M%s %sH%s"/>' % (
            n(bx - half + 16), n(yb - 7), n(bx - 10)))
        out.append(c.bead(bx - half + 4, yb, 7) + c.bead(bx + half - 4, yb, 7))
        return out

    curve = Curve(x0, x1, bx, yb)
    d = curve.d()
    if style == "strand":
        out.append(chain(c, d, "pearlthread"))
        pid = c.pearl()
        # graduated pearls from the centre outwards
        placed = [(0.0, 23.0)]
        s, rr = 0.0, 23.0
        while True:
            nr = max(11.5, rr - 0.5)
            s += rr + nr + 1.2
            rr = nr
            x, y = curve.at(s)
            if y < -25 or s > curve.cum[-1] - curve.mid:
                break
            placed.append((s, rr))
        items = []
        for s, rr in placed:
            for sign in ((1,) if s == 0 else (-1, 1)):
                x, y = curve.at(sign * s)
                items.append((y, x, rr))
        items.sort()
        out.append(shadow(bx + 6, yb + 26, 150, 16, 0.2, "sh"))
        for y, x, rr in items:
            out.append(use(pid, x, y, rr / 50))
        return out

    out.append(chain(c, d, cs, 1.15))
    if style == "trio":
        for off, s in ((-130, 0.56), (130, 0.56), (0, 0.74)):
            x, y = curve.at(off)
            rr = 50 * s + 8
            out.append(shadow(x + 6, y + rr * 0.85, rr * 0.9, 9, 0.3, "sc"))
            out.append('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1"/>' % (
                n(x), n(y), n(rr), c.mg("m"), c.col("edge")))
            out.append('<circle cx="%s" cy="%s" r="%s" fill="none" stroke="#fff" stroke-width="1.5" opacity=".6"/>' % (
                n(x), n(y), n(rr - 2)))
            out.append(use(c.gem(gem, "round", 15), x, y, s))
        return out

    out.append(bail(c, bx, yb + 6))
    top = yb + 16
    if style == "lariat":
        drop = 150 + r.uniform(-10, 10)
        dd = "M%s %sQ%s %s %s %s" % (n(bx), n(yb), n(bx + 5), n(yb + drop / 2), n(bx + 1), n(yb + drop))
        out.pop()
        out.append(chain(c, dd, cs, 1.15))
        out.append('<circle cx="%s" cy="%s" r="8" fill="none" stroke="%s" stroke-width="4.5"/>' % (n(bx), n(yb), c.mg("m")))
        top = yb + drop
        s = 1.05
        cy_ = top + 4 + PEAR_TIP * s
        out.append(shadow(bx + 10, cy_ + 58 * s + 12, 52, 11, 0.3, "sc"))
        out.append(use(c.gem(gem, "pear"), bx + 1, cy_, s))
        out.append('<path fill="%s" stroke="%s" stroke-width="1" d="M%s %sQ%s %s %s %sZ"/>' % (
            c.mg("m"), c.col("edge"), n(bx - 9), n(top + 12), n(bx + 1), n(top - 6), n(bx + 11), n(top + 12)))
        out.append(c.bead(bx + 1, top + 1, 6))
    elif style == "pear":
        s = 1.4
        cy_ = top + 4 + PEAR_TIP * s
        out.append(shadow(bx + 10, cy_ + 58 * s + 14, 60, 13, 0.3, "sc"))
        out.append(use(c.gem(gem, "pear"), bx, cy_, s))
        for a in (200, 340, 90):
            px, py = pear_point(bx, cy_, s, a)
            out.append(c.bead(px, py, 6))
        out.append(c.bead(bx, top + 5, 7))
    elif style == "rosette":
        s = 0.72
        fc = top + 114
        out.append(shadow(bx + 10, fc + 104, 90, 15, 0.3, "sc"))
        petal = c.gem(gem, "pear")
        for i in range(5):
            a = 270 + 72 * i
            px, py = ept(bx, fc, 69, 69, a)
            out.append(use(c.setting("pear"), px, py, s * 1.13, a - 90))
        for i in range(5):
            a = 270 + 72 * i
            px, py = ept(bx, fc, 69, 69, a)
            out.append(use(petal, px, py, s, a - 90))
        out.append('<circle cx="%s" cy="%s" r="35" fill="%s" stroke="%s" stroke-width=".8"/>' % (
            n(bx), n(fc), c.mg("r"), c.col("edge")))
        out.append(use(c.gem("diamond", "heart"), bx, fc + 2, 0.6))
        out.append(c.bead(bx, top + 4, 6))
    else:  # round bezel pendant
        s = 1.15
        rr = 50 * s + 11
        cy_ = top + rr + 2
        out.append(shadow(bx + 10, cy_ + rr + 10, rr, 12, 0.3, "sc"))
        out.append('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1"/>' % (
            n(bx), n(cy_), n(rr), c.mg("m"), c.col("edge")))
        out.append('<circle cx="%s" cy="%s" r="%s" fill="none" stroke="#fff" stroke-width="2" opacity=".55"/>' % (
            n(bx), n(cy_), n(rr - 3)))
        out.append(use(c.gem(gem, "round", r.choice([0, 8, 16])), bx, cy_, s))
    return out


# --------------------------------------------------------------------------
# Earrings
# --------------------------------------------------------------------------

def draw_earrings(c, text, gem, style=None, scale=1.55):
    r = c.rng
    S = scale
    dx = r.uniform(165, 182)
    if style is None:
        if has(text, "huggie"):
            style = "huggie"
        elif has(text, "hoop"):
            style = "hoop"
        elif has(text, "drop"):
            style = "drop"
        elif has(text, "stud"):
            style = "stud"
        else:
            style = r.choice(["stud", "drop", "hoop"])
    e = []  # one earring drawn around (0, 0)
    low = 0  # lowest point, for the shadow
    if style == "stud":
        cy = 392
        s = r.uniform(0.9, 1.02)
        R = 50 * s
        if gem == "none":
            e.append('<circle r="%s" fill="%s" stroke="%s" stroke-width="1"/>' % (n(R), c.mg("r"), c.col("edge")))
            e.append(sparkle(-R * 0.35, -R * 0.4, 14))
        elif gem == "pearl":
            e.append(use(c.pearl(), 0, 0, s))
        else:
            cut = gem_cut(text, gem)
            rot = r.choice([0, 7, 14, 22])
            gid = c.gem(gem, cut, rot if cut == "round" else 0)
            if has(text, "halo"):
                e.append('<circle r="%s" fill="%s" stroke="%s" stroke-width="1"/>' % (n(R + 30), c.mg("m"), c.col("edge")))
                k = 16
                for i in range(k):
                    x, y = ept(0, 0, R + 17, R + 17, 360.0 * i / k + 11)
                    e.append(c.pave_dot(x, y, 7.5))
                e.append('<circle r="%s" fill="%s"/>' % (n(R + 6), c.mg("d")))
            elif has(text, "bezel"):
                e.append('<circle r="%s" fill="%s" stroke="%s" stroke-width="1"/>' % (n(R + 9), c.mg("m"), c.col("edge")))
                e.append('<circle r="%s" fill="none" stroke="%s" stroke-width="1.2" opacity=".5"/>' % (n(R + 1.5), c.col("edge")))
            e.append(use(gid, 0, 0, s))
            if not has(text, "halo", "bezel"):
                prongs = 6 if has(text, "six") else 4
                for i in range(prongs):
                    x, y = ept(0, 0, R * 0.94, R * 0.94, 45 + 360.0 / prongs * i)
                    e.append(c.bead(x, y, 8))
        low = R + (30 if has(text, "halo") else 10)
    elif style in ("drop",):
        cy = 535
        if gem == "pearl" or not has(text, "accent"):
            # french hook
            hook = "M0 -96V-150C0 -206 62 -206 62 -150C62 -128 56 -112 50 -100"
            e.append('<path fill="none" stroke="%s" stroke-width="7" stroke-linecap="round" d="%s"/>' % (c.col("edge"), hook))
            e.append('<path fill="none" stroke="%s" stroke-width="4.5" stroke-linecap="round" d="%s"/>' % (c.mg("m"), hook))
            e.append(c.bead(0, -96, 8))
            if gem == "pearl":
                e.append(use(c.pearl(), 0, -28, 0.9, 0, 1.02))
                e.append('<path fill="%s" stroke="%s" stroke-width="1" d="M-17 -78Q0 -90 17 -78Q0 -72 -17 -78Z"/>' % (
                    c.mg("m"), c.col("edge")))
                e.append(c.bead(0, -84, 6))
                low = 26
            else:
                s = 0.9
                e.append(use(c.gem(gem, "pear"), 0, -86 + PEAR_TIP * s, s))
                e.append(c.bead(0, -86, 5.5))
                low = -86 + PEAR_TIP * s + 58 * s
        else:
            # diamond accent with a pear drop below
            e.append('<circle cy="-112" r="19" fill="%s" stroke="%s" stroke-width="1"/>' % (c.mg("m"), c.col("edge")))
            e.append(use(c.gem("diamond", "round", 12), 0, -112, 0.3))
            e.append('<ellipse cy="-86" rx="5" ry="8" fill="none" stroke="%s" stroke-width="4"/>' % c.mg("m"))
            s = 0.92
            e.append(use(c.gem(gem, "pear"), 0, -78 + PEAR_TIP * s, s))
            for x, y in ((0, -78), (-34 * s, 16 * s - 78 + PEAR_TIP * s), (34 * s, 16 * s - 78 + PEAR_TIP * s)):
                e.append(c.bead(x, y, 4.5))
            low = -78 + PEAR_TIP * s + 58 * s
    elif style == "hoop":
        cy = 385
        hrx, hry = r.uniform(78, 92), r.uniform(104, 116)
        e.append('<ellipse cx="-6" rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="14"/>' % (n(hrx), n(hry), c.mg("d")))
        e.append('<ellipse rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="14"/>' % (n(hrx), n(hry), c.mg("m")))
        e.append('<ellipse rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="1" opacity=".4"/>' % (n(hrx - 7), n(hry - 7), c.col("edge")))
        e.append('<path fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" opacity=".75" d="%s"/>' % arc(0, 0, hrx + 2, hry + 2, 160, 215))
        e.append('<path fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" opacity=".45" d="%s"/>' % arc(0, 0, hrx + 3, hry + 3, 20, 60))
        e.append('<rect x="-9" y="%s" width="18" height="12" rx="3" fill="%s" stroke="%s" stroke-width="1"/>' % (
            n(-hry - 6), c.mg("v"), c.col("edge")))
        if gem not in ("none", "pearl"):
            for a in range(60, 121, 15):
                x, y = ept(0, 0, hrx, hry, a)
                e.append(c.pave_dot(x, y, 5.5))
        low = hry + 7
    else:  # huggie with dangling briolette
        cy = 300
        e.append('<ellipse cx="-5" rx="50" ry="58" fill="none" stroke="%s" stroke-width="20"/>' % c.mg("d"))
        e.append('<ellipse rx="50" ry="58" fill="none" stroke="%s" stroke-width="20"/>' % c.mg("m"))
        e.append('<ellipse rx="40" ry="48" fill="none" stroke="%s" stroke-width="1" opacity=".45"/>' % c.col("edge"))
        e.append('<path fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" opacity=".7" d="%s"/>' % arc(0, 0, 52, 60, 150, 215))
        e.append('<ellipse cy="78" rx="6" ry="9" fill="none" stroke="%s" stroke-width="4.5"/>' % c.mg("m"))
        if gem == "pearl":
            e.append(use(c.pearl(), 0, 118, 0.6))
            low = 148
        elif gem != "none":
            s = 0.68
            e.append(c.bead(0, 86, 4.5))
            e.append(use(c.gem(gem, "pear"), 0, 86 + PEAR_TIP * s, s))
            low = 86 + PEAR_TIP * s + 58 * s
        else:
            low = 68
    eid = c.add("ear", lambda i: '<g id="%s">%s</g>' % (i, "".join(e)))
    out = []
    rots = (r.uniform(-7, -2), r.uniform(2, 7)) if style != "stud" else (0, 0)
    for sign, rot in ((-1, rots[0]), (1, rots[1])):
        x = 400 + sign * dx
        out.append(shadow(x + 8, cy + low * S + 26, (62 if style != "stud" else 52) * S, 13, 0.22, "sh"))
        out.append(shadow(x + 6, cy + low * S + 12, 30 * S, 6, 0.25, "sc"))
    for sign, rot in ((-1, rots[0]), (1, rots[1])):
        x = 400 + sign * dx
        out.append(use(eid, x, cy, S, rot))
    return out


# --------------------------------------------------------------------------
# Bracelets
# --------------------------------------------------------------------------

def bangle(c, cx, cy, rx, ry, t, h, gap=0.0):
    rxi, ryi = rx - t, ry - t * ry / rx
    out = []
    segs = [(180, 270 - gap), (270 + gap, 360)] if gap else [(180, 360)]
    for a0, a1 in segs:
        d = arc(cx, cy, rxi, ryi, a0, a1) + arc(cx, cy + h, rxi, ryi, a1, a0, move=False) + "Z"
        out.append('<path fill="%s" d="%s"/>' % (c.mg("d"), d))
    d = arc(cx, cy, rx, ry, 0, 180) + arc(cx, cy + h, rx, ry, 180, 0, move=False) + "Z"
    out.append('<path fill="%s" stroke="%s" stroke-width="1" d="%s"/>' % (c.mg("h"), c.col("edge"), d))
    if gap:
        for a in (270 - gap, 270 + gap):
            p1, p2 = ept(cx, cy, rx, ry, a), ept(cx, cy, rxi, ryi, a)
            out.append(face([p1, p2, (p2[0], p2[1] + h), (p1[0], p1[1] + h)], c.col("shade")))
        d = arc(cx, cy, rx, ry, 270 + gap, 270 - gap + 360) + arc(cx, cy, rxi, ryi, 270 - gap + 360, 270 + gap, move=False) + "Z"
    else:
        d = arc(cx, cy, rx, ry, 0, 360) + "Z" + arc(cx, cy, rxi, ryi, 0, 360) + "Z"
    out.append('<path fill="%s" fill-rule="evenodd" stroke="%s" stroke-width="1" d="%s"/>' % (c.mg("m"), c.col("edge"), d))
    out.append('<path fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" opacity=".65" d="%s"/>' % arc(
        cx, cy, rx - 1.5, ry - 1.5, 25, 155))
    out.append('<path fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" opacity=".6" d="%s"/>' % arc(
        cx, cy, rx - t / 2, ry - t / 2 * ry / rx, 200, 245))
    return out


def ring_shadow(cx, cy, rx, ry, w, op=0.2):
    return '<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="none" stroke="#2b211c" stroke-width="%s" opacity="%s" filter="url(#sh)"/>' % (
        n(cx), n(cy), n(rx), n(ry), n(w), op)


def tangent_deg(rx, ry, a):
    return math.degrees(math.atan2(ry * math.cos(rad(a)), -rx * math.sin(rad(a))))


def draw_bracelet(c, text, gem, style=None, cy=None):
    r = c.rng
    cx = 400 + r.uniform(-10, 10)
    cy = cy if cy is not None else 405 + r.uniform(-10, 10)
    rx = r.uniform(250, 272)
    ry = rx * r.uniform(0.4, 0.47)
    if style is None:
        if has(text, "tennis", "flexible platinum line"):
            style = "tennis"
        elif has(text, "charm"):
            style = "charm"
        elif has(text, "cuff"):
            style = "cuff"
        elif gem == "pearl" or has(text, "stationed"):
            style = "pearls"
        elif has(text, "links", "link bracelet"):
            style = "links"
        elif has(text, "bangle"):
            style = "bangle"
        else:
            style = r.choice(["bangle", "tennis", "links"])
    out = []
    q = 0.72  # vertical squash of face-up stones
    if style in ("bangle", "cuff"):
        slender = has(text, "slender")
        t, h = (16, 42) if slender else (20, 50)
        gap = 0.0
        if style == "cuff":
            t, h, gap = 16, 64, 26
        out.append(ring_shadow(cx + 8, cy + h + 14, rx, ry, t + 22, 0.22))
        out.append(shadow(cx + 4, cy + ry + h + 4, rx * 0.6, 8, 0.28, "sc"))
        out += bangle(c, cx, cy, rx, ry, t, h, gap)
        if style == "cuff":
            # climbing vine of emerald leaves on the front wall
            pts = []
            for i in range(0, 61):
                a = 14 + 152 * i / 60.0
                x, y = ept(cx, cy, rx, ry, a)
                pts.append((x, y + h / 2 + 11 * math.sin(rad(a * 5))))
            out.append('<path fill="none" stroke="%s" stroke-width="3" stroke-linecap="round" d="M%s"/>' % (
                c.col("shade"), "L".join("%s %s" % (n(x), n(y)) for x, y in pts)))
            leaf = c.gem(gem if gem != "none" else "emerald", "marquise") if gem != "pearl" else c.pearl()
            for i in range(8):
                a = 22 + 136 * i / 7.0
                x, y = ept(cx, cy, rx, ry, a)
                y += h / 2 + 11 * math.sin(rad(a * 5))
                sc = 0.4 + 0.16 * math.sin(rad(a))
                rot = (-38 if i % 2 else 38) + (90 - a) * 0.35
                ox = 16 * math.cos(rad(rot))
                oy = 16 * math.sin(rad(rot))
                out.append(use(leaf, x + ox * 0.8, y + oy * 0.8, sc, rot, sc * math.sin(rad(a)) ** 0.3))
        elif gem not in ("none",):
            k = 5 if has(text, "five") else 3
            for i in range(k):
                a = 90 + (i - (k - 1) / 2.0) * 15
                x, y = ept(cx, cy, rx, ry, a)
                s = 0.36 if slender else 0.4
                rr = 50 * s + 4
                out.append('<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="%s" stroke="%s" stroke-width=".8"/>' % (
                    n(x), n(y + h / 2), n(rr * math.sin(rad(a))), n(rr), c.mg("m"), c.col("edge")))
                out.append(use(c.gem(gem, "round", 10) if gem != "pearl" else c.pearl(), x, y + h / 2, s * math.sin(rad(a)), 0, s))
        else:
            # engraved sunburst on the front
            x, y = ept(cx, cy, rx, ry, 90)
            y += h / 2
            rays = []
            for i in range(24):
                a = 360.0 * i / 24
                r0, r1 = 11, (36 if i % 2 else 54)
                rays.append("M%s %sL%s %s" % (n(x + r0 * math.cos(rad(a))), n(y + r0 * 0.55 * math.sin(rad(a))),
                                             n(x + r1 * math.cos(rad(a))), n(y + r1 * 0.5 * math.sin(rad(a)))))
            out.append('<path stroke="%s" stroke-width="1.5" stroke-linecap="round" opacity=".55" d="%s"/>' % (c.col("edge"), "".join(rays)))
            out.append('<ellipse cx="%s" cy="%s" rx="7" ry="5" fill="%s" stroke="%s" stroke-width="1"/>' % (
                n(x), n(y), c.mg("r"), c.col("edge")))
        return out

    out.append(ring_shadow(cx + 8, cy + 16, rx, ry, 30, 0.2))
    if style == "tennis":
        N = 28
        base = '<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="none" stroke="%s" stroke-width="7"/>' % (
            n(cx), n(cy), n(rx), n(ry), c.mg("d"))
        out.append(base)
        gid = c.gem(gem if gem not in ("none", "pearl") else "diamond", "round", 12)
        items = []
        ph = r.uniform(0, 360.0 / N)
        for i in range(N):
            a = ph + 360.0 * i / N
            x, y = ept(cx, cy, rx, ry, a)
            items.append((y, x, a))
        items.sort()
        link = c.add("cup", lambda i: (
            '<g id="%s"><rect x="-19" y="-19" width="38" height="38" rx="8" fill="%s" stroke="%s" stroke-width="1"/>%s</g>') % (
            i, c.mg("m"), c.col("edge"), use(gid, 0, 0, 0.34)))
        for y, x, a in items:
            depth = (1 + math.sin(rad(a))) / 2
            s = 0.82 + 0.22 * depth
            rot = tangent_deg(rx, ry, a)
            out.append(use(link, x, y, s, rot, s * q))
        x, y = ept(cx, cy, rx, ry, 0)
        out.append('<rect x="%s" y="%s" width="22" height="40" rx="5" fill="%s" stroke="%s" stroke-width="1"/>' % (
            n(x - 11), n(y - 20), c.mg("v"), c.col("edge")))
    elif style == "links":
        N = 22
        items = []
        for i in range(N):
            a = 360.0 * i / N + 4
            x, y = ept(cx, cy, rx, ry, a)
            items.append((y, x, a, i))
        items.sort()
        for y, x, a, i in items:
            rot = tangent_deg(rx, ry, a)
            depth = (1 + math.sin(rad(a))) / 2
            stroke = c.mg("m") if depth > 0.35 else c.mg("d")
            lid = c.add("lk" + ("f" if depth > 0.35 else "b"), lambda i, st=stroke: (
                '<g id="%s" fill="none"><ellipse rx="30" ry="16" stroke="%s" stroke-width="9"/>'
                '<ellipse rx="30" ry="16" stroke="%s" stroke-width="6.5"/>'
                '<path stroke="#fff" stroke-width="1.6" stroke-linecap="round" opacity=".6" d="M-22 -11Q0 -17 22 -11"/></g>') % (
                i, c.col("edge"), st))
            out.append(use(lid, x, y, 1, rot, 0.92 + 0.16 * depth))
            if gem not in ("none",) and i % 3 == 0:
                out.append(c.bead(x, y, 14))
                out.append(use(c.gem(gem, "round", 10) if gem != "pearl" else c.pearl(), x, y, 0.22, 0, 0.22 * 0.85))
    else:  # charm / pearls: fine chain ellipse
        ch = "M%s %s%sZ" % (n(cx + rx), n(cy), arc(cx, cy, rx, ry, 0, 360)[len("M%s %s" % (n(cx + rx), n(cy))):])
        out.append(chain(c, ch, "cable" if style == "pearls" else "curb", 1.3))
        if style == "pearls":
            pid = c.pearl()
            k = 9
            ph = r.uniform(0, 40)
            items = sorted((ept(cx, cy, rx, ry, ph + 360.0 * i / k)[1], ph + 360.0 * i / k) for i in range(k))
            for y, a in items:
                x, y = ept(cx, cy, rx, ry, a)
                depth = (1 + math.sin(rad(a))) / 2
                out.append(use(pid, x, y, 0.4 + 0.12 * depth))
        else:
            charms = ["star", "moon", "gem"]
            r.shuffle(charms)
            k = 1.45  # charm scale
            for a, kind in zip((64, 90, 116), charms):
                x, y = ept(cx, cy, rx, ry, a)
                tilt = r.uniform(-10, 10)
                out.append(shadow(x + 10, y + (42 + 34) * k, 26 * k, 8, 0.25, "sc"))
                el = ['<ellipse cy="6" rx="5" ry="8" fill="none" stroke="%s" stroke-width="4"/>' % c.mg("m")]
                if kind == "star":
                    pts = [ept(0, 42, 30 if i % 2 == 0 else 13, 30 if i % 2 == 0 else 13, -90 + 36 * i) for i in range(10)]
                    el.append(face(pts, c.mg("m"), ' stroke="%s" stroke-width="1.2" stroke-linejoin="round"' % c.col("edge")))
                    el.append('<path fill="none" stroke="#fff" stroke-width="1" opacity=".6" d="M0 12L0 42M-28.5 32.7L0 42M28.5 32.7L0 42M-17.6 66.3L0 42M17.6 66.3L0 42"/>')
                    el.append(sparkle(-8, 32, 8, 0.8))
                elif kind == "moon":
                    el.append('<path fill="%s" stroke="%s" stroke-width="1.2" d="M8 14A29 29 0 1 0 8 70A22 22 0 1 1 8 14Z"/>' % (
                        c.mg("m"), c.col("edge")))
                    el.append('<path fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" opacity=".7" d="M-4 22A22 22 0 0 0 -14 52"/>')
                else:
                    el.append('<circle cy="42" r="27" fill="%s" stroke="%s" stroke-width="1"/>' % (c.mg("m"), c.col("edge")))
                    gk = gem if gem not in ("none",) else "diamond"
                    el.append(use(c.gem(gk, "round", 10) if gk != "pearl" else c.pearl(), 0, 42, 0.42))
                out.append('<g transform="translate(%s %s) rotate(%s) scale(%s)">%s</g>' % (n(x), n(y), n(tilt), k, "".join(el)))
    return out


# --------------------------------------------------------------------------
# Document assembly
# --------------------------------------------------------------------------

def background(rng, metal, hue=None):
    h = (hue if hue is not None else BG_HUE.get(metal, 30)) + rng.uniform(-16, 16)
    c1, c2, c3 = hls(h, 0.975, 0.5), hls(h, 0.935, 0.32), hls(h, 0.86, 0.2)
    floor = hls(h, 0.3, 0.25)
    defs = ('<radialGradient id="bg" cx=".5" cy=".4" r=".78"><stop offset="0" stop-color="%s"/>'
            '<stop offset=".55" stop-color="%s"/><stop offset="1" stop-color="%s"/></radialGradient>'
            '<linearGradient id="fl" x1="0" y1="0" x2="0" y2="1"><stop offset=".55" stop-color="%s" stop-opacity="0"/>'
            '<stop offset="1" stop-color="%s" stop-opacity=".12"/></linearGradient>'
            '<filter id="sh" filterUnits="userSpaceOnUse" x="-200" y="-200" width="1200" height="1200"><feGaussianBlur stdDeviation="14"/></filter>'
            '<filter id="sc" filterUnits="userSpaceOnUse" x="-200" y="-200" width="1200" height="1200"><feGaussianBlur stdDeviation="4"/></filter>'
            ) % (c1, c2, c3, floor, floor)
    body = '<rect width="800" height="800" fill="url(#bg)"/><rect width="800" height="800" fill="url(#fl)"/>'
    return defs, body, c2


def document(title, defs, body):
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 800" width="800" height="800" '
            'role="img" aria-labelledby="t">\n<title id="t">%s</title>\n<defs>%s</defs>\n%s\n</svg>\n') % (
        escape(title), "".join(defs), "\n".join(body))


DRAW = {"rings": draw_ring, "necklaces": draw_necklace, "earrings": draw_earrings, "bracelets": draw_bracelet}


def product_svg(p):
    text = " ".join([p["id"], p["name"], p.get("description", "")]).lower()
    rng = rng_for("bg:" + p["id"])
    bdefs, bbody, bgc = background(rng, p["metal"])
    c = Ctx("", p["metal"], p["id"], bgc)
    body = [bbody] + DRAW[p["category"]](c, text, p["gem"])
    return document(p["name"], [bdefs] + c.defs, body)


# Category compositions: (draw fn, metal, gem, text, style, centre x, centre y, scale, extra kwargs)
CATEGORY_SCENES = {
    "rings": [
        ("rings", "gold", "ruby", "channel band", "channel", 205, 440, 0.52, {}),
        ("rings", "rose", "amethyst", "bezel", "bezel", 595, 420, 0.55, {}),
        ("rings", "platinum", "diamond", "six-claw solitaire", "solitaire", 400, 365, 0.66, {}),
    ],
    "necklaces": [
        ("necklaces", "gold", "amethyst", "three graduated paperclip", "trio", 400, 400, 1.0, {"yb": 655, "x0": 110, "x1": 690}),
        ("necklaces", "platinum", "diamond", "pear-shaped cable", "pear", 400, 400, 1.0, {"yb": 395, "x0": 185, "x1": 615}),
        ("necklaces", "gold", "pearl", "strand", "strand", 400, 400, 1.0, {"yb": 255, "x0": 265, "x1": 535}),
    ],
    "earrings": [
        ("earrings", "gold", "none", "hoops", "hoop", 215, 265, 0.5, {}),
        ("earrings", "platinum", "sapphire", "halo studs", "stud", 590, 275, 0.55, {}),
        ("earrings", "rose", "pearl", "pearl drops", "drop", 400, 560, 0.6, {}),
    ],
    "bracelets": [
        ("bracelets", "gold", "none", "sunburst bangle", "bangle", 222, 300, 0.52, {}),
        ("bracelets", "platinum", "diamond", "tennis", "tennis", 578, 300, 0.52, {}),
        ("bracelets", "rose", "amethyst", "slender bangle five", "bangle", 400, 540, 0.6, {}),
    ],
}


def category_svg(cat):
    cid = cat["id"]
    rng = rng_for("bg:category-" + cid)
    scene = CATEGORY_SCENES[cid]
    bdefs, bbody, bgc = background(rng, scene[-1][1], hue={"rings": 30, "necklaces": 350, "earrings": 215, "bracelets": 40}[cid])
    defs, body = [bdefs], [bbody]
    for i, (kind, metal, gem, text, style, x, y, s, kw) in enumerate(scene):
        c = Ctx("abc"[i], metal, "category-%s-%d" % (cid, i), bgc)
        parts = DRAW[kind](c, text, gem, style=style, **kw)
        defs += c.defs
        if abs(s - 1) < 1e-9:
            body.append("<g>%s</g>" % "".join(parts))
        else:
            body.append('<g transform="translate(%s %s) scale(%s)">%s</g>' % (n(x - 400 * s), n(y - 400 * s), s, "".join(parts)))
    return document(cat["name"], defs, body)


def main():
    with open(CATALOG, encoding="utf-8") as f:
        catalog = json.load(f)
    os.makedirs(OUT_DIR, exist_ok=True)
    os.makedirs(CATEGORY_DIR, exist_ok=True)
    written = []
    for p in catalog["products"]:
        path = os.path.join(OUT_DIR, "%s.svg" % p["id"])
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(product_svg(p))
        written.append(path)
    for cat in catalog["categories"]:
        path = os.path.join(CATEGORY_DIR, "%s.svg" % cat["id"])
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(category_svg(cat))
        written.append(path)
    for path in written:
        print("%6d  %s" % (os.path.getsize(path), os.path.relpath(path, ROOT)))
    print("%d files written under public/images" % len(written))


if __name__ == "__main__":
    main()
