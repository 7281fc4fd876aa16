import Foundation
import GeoCore
import OrderedCollections

extension MapDrawing {
    /// One self-contained HTML page (no network): the map as inline SVG, pan and zoom (wheel,
    /// drag, buttons, keyboard + − 0), a tooltip per event (date, type, actors, place,
    /// precision, fatalities, sources as links), and a time slider that shows only the events
    /// (and attack → response arrows) whose dates overlap the chosen span. Draw the map with
    /// `MapOptions.interactive` so that the tooltips have their properties.
    public func html() -> String {
        var json = JSONWriter()
        json.appendByte(UInt8(ascii: "["))
        for (i, r) in records.enumerated() {
            if i > 0 { json.appendByte(UInt8(ascii: ",")) }
            var object: OrderedDictionary<String, JSONValue> = [:]
            for (key, value) in r.info { object[key] = Self.clipped(value) }
            if r.startDay.isFinite { object["_t0"] = .integer(Int64(r.startDay)) }
            if r.endDay.isFinite { object["_t1"] = .integer(Int64(max(r.startDay, r.endDay))) }
            json.appendObject(object)
        }
        json.appendByte(UInt8(ascii: "]"))
        // Inside <script>, "</" could end the element: write it as "<\/" (the same JSON string).
        let data = String(decoding: json.bytes, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        var svgText = svg
        if let declarationEnd = svgText.range(of: "?>\n"), svgText.hasPrefix("<?xml") { svgText = String(svgText[declarationEnd.upperBound...]) }
        let title = SVGDocument.escape(self.title)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            html,body{margin:0;padding:0;background:#fff;color:#222;font:14px/1.4 "Liberation Sans",Arial,Helvetica,sans-serif}
            #bar{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:8px 12px;border-bottom:1px solid #ddd;position:sticky;top:0;background:#fff;z-index:2}
            #bar button{font:inherit;min-width:34px;padding:3px 8px;border:1px solid #aaa;background:#f6f6f6;border-radius:4px;cursor:pointer}
            #time{display:flex;align-items:center;gap:8px;flex:1 1 420px}
            #time input{flex:1 1 120px}
            #count{color:#555;white-space:nowrap}
            #view{position:relative;overflow:hidden;touch-action:none;cursor:grab}
            #view.dragging{cursor:grabbing}
            #view svg{display:block;width:100%;height:auto}
            #view .ev{cursor:pointer}
            #view .ev:hover{stroke:#000;stroke-width:2}
            #tip{position:absolute;z-index:3;display:none;max-width:340px;background:#fff;border:1px solid #888;border-radius:5px;box-shadow:0 2px 8px rgba(0,0,0,.25);padding:8px 10px;font-size:13px;pointer-events:auto}
            #tip h3{margin:0 0 4px;font-size:14px}
            #tip table{border-collapse:collapse}
            #tip td{vertical-align:top;padding:1px 6px 1px 0}
            #tip td:first-child{color:#666;white-space:nowrap}
            #tip a{color:#0b57a4;word-break:break-all}
            </style>
            </head>
            <body>
            <div id="bar">
              <span><button id="zin" title="Zoom in (+)">+</button> <button id="zout" title="Zoom out (−)">−</button> <button id="zreset" title="Whole map (0)">⟲</button></span>
              <span id="time"><label for="from">From</label><input id="from" type="range"><label for="to">to</label><input id="to" type="range"><span id="span"></span></span>
              <span id="count"></span>
            </div>
            <div id="view">
            \(svgText)
            <div id="tip" role="tooltip"></div>
            </div>
            <script id="events" type="application/json">\(data)</script>
            <script>
            \(Self.script)
            </script>
            </body>
            </html>

            """
    }

    /// Long notes are clipped for the tooltip (300 characters).
    static func clipped(_ value: JSONValue) -> JSONValue {
        if case .string(let s) = value, s.count > 300 { return .string(String(s.prefix(299)) + "…") }
        return value
    }

    static let script = #"""
        (function () {
          "use strict";
          var events = JSON.parse(document.getElementById("events").textContent);
          var view = document.getElementById("view"), svg = view.querySelector("svg"), tip = document.getElementById("tip");
          var full = svg.viewBox.baseVal, W = full.width, H = full.height;
          var vb = { x: 0, y: 0, w: W, h: H };
          function apply() { svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h); }
          function clamp() {
            vb.w = Math.min(W, Math.max(W / 40, vb.w)); vb.h = vb.w * H / W;
            vb.x = Math.min(W - vb.w, Math.max(0, vb.x)); vb.y = Math.min(H - vb.h, Math.max(0, vb.y));
          }
          function zoom(f, cx, cy) {
            if (cx === undefined) { cx = vb.x + vb.w / 2; cy = vb.y + vb.h / 2; }
            var w = vb.w / f; vb.x = cx - (cx - vb.x) * w / vb.w; vb.y = cy - (cy - vb.y) * w / vb.w; vb.w = w; clamp(); apply();
          }
          function toSvg(e) { var r = svg.getBoundingClientRect(); return { x: vb.x + (e.clientX - r.left) / r.width * vb.w, y: vb.y + (e.clientY - r.top) / r.height * vb.h }; }
          view.addEventListener("wheel", function (e) { e.preventDefault(); var p = toSvg(e); zoom(e.deltaY < 0 ? 1.25 : 0.8, p.x, p.y); }, { passive: false });
          document.getElementById("zin").onclick = function () { zoom(1.5); };
          document.getElementById("zout").onclick = function () { zoom(1 / 1.5); };
          document.getElementById("zreset").onclick = function () { vb = { x: 0, y: 0, w: W, h: H }; apply(); };
          document.addEventListener("keydown", function (e) {
            if (e.target.tagName === "INPUT") return;
            if (e.key === "+" || e.key === "=") zoom(1.5); else if (e.key === "-") zoom(1 / 1.5); else if (e.key === "0") document.getElementById("zreset").onclick();
          });
          var drag = null, moved = false;
          view.addEventListener("pointerdown", function (e) { if (e.button !== 0 || tip.contains(e.target)) return; drag = { x: e.clientX, y: e.clientY, vx: vb.x, vy: vb.y }; moved = false; });
          window.addEventListener("pointermove", function (e) {
            if (!drag) return;
            var r = svg.getBoundingClientRect(), dx = e.clientX - drag.x, dy = e.clientY - drag.y;
            if (Math.abs(dx) + Math.abs(dy) > 3) { moved = true; view.classList.add("dragging"); }
            vb.x = drag.vx - dx / r.width * vb.w; vb.y = drag.vy - dy / r.height * vb.h; clamp(); apply();
          });
          window.addEventListener("pointerup", function () { drag = null; view.classList.remove("dragging"); });

          // Tooltips: built with text nodes, links only for http(s) addresses.
          var names = { event_id: "Event", event_date: "Date", date_end: "Until", event_type: "Type", sub_event_type: "Sub-type", actor1: "Actor",
            actor2: "Against", actor_side: "Side", target: "Target", location: "Place", admin1: "Region", country: "Country",
            geo_precision: "Precision", fatalities: "Fatalities", sources: "Sources", notes: "Notes", role: "Role", cluster: "Cluster", near_phrase: "Nearest site" };
          var precision = { 1: "1 (exact place)", 2: "2 (near the place)", 3: "3 (region; approximate)" };
          function text(v) { return Array.isArray(v) ? v.join("; ") : String(v); }
          function show(i, e) {
            var ev = events[i]; if (!ev) return;
            tip.textContent = "";
            var h = document.createElement("h3"); h.textContent = (ev.event_type || "Event") + (ev.event_date ? " · " + ev.event_date : ""); tip.appendChild(h);
            var t = document.createElement("table");
            Object.keys(names).forEach(function (k) {
              if (ev[k] === undefined || ev[k] === null || k === "event_type") return;
              var tr = document.createElement("tr"), a = document.createElement("td"), b = document.createElement("td");
              a.textContent = names[k];
              if (k === "sources") {
                var list = Array.isArray(ev[k]) ? ev[k] : String(ev[k]).split(/[;\s]+/);
                list.forEach(function (s, n) {
                  s = String(s).trim(); if (!s) return;
                  if (n > 0) b.appendChild(document.createElement("br"));
                  if (/^https?:\/\//i.test(s)) { var l = document.createElement("a"); l.href = s; l.textContent = s; l.target = "_blank"; l.rel = "noopener noreferrer"; b.appendChild(l); }
                  else b.appendChild(document.createTextNode(s));
                });
              } else if (k === "geo_precision") { b.textContent = precision[ev[k]] || text(ev[k]); }
              else { b.textContent = text(ev[k]); }
              tr.appendChild(a); tr.appendChild(b); t.appendChild(tr);
            });
            tip.appendChild(t);
            tip.style.display = "block";
            var r = view.getBoundingClientRect(), x = e.clientX - r.left + 12, y = e.clientY - r.top + 12;
            if (x + tip.offsetWidth > r.width) x = Math.max(0, e.clientX - r.left - tip.offsetWidth - 12);
            if (y + tip.offsetHeight > r.height) y = Math.max(0, e.clientY - r.top - tip.offsetHeight - 12);
            tip.style.left = x + "px"; tip.style.top = y + "px";
          }
          var pinned = false;
          svg.addEventListener("mouseover", function (e) { var m = e.target.closest(".ev"); if (m && !pinned) show(+m.getAttribute("data-i"), e); });
          svg.addEventListener("mouseout", function (e) { if (!pinned && e.target.closest(".ev")) tip.style.display = "none"; });
          svg.addEventListener("click", function (e) {
            if (moved) return;
            var m = e.target.closest(".ev");
            if (m) { pinned = true; show(+m.getAttribute("data-i"), e); } else { pinned = false; tip.style.display = "none"; }
          });

          // Time slider: events whose span overlaps [from, to] stay; undated ones always do.
          var marks = svg.querySelectorAll(".ev"), pairs = svg.querySelectorAll(".pairs path");
          var days = events.filter(function (e) { return e._t0 !== undefined; });
          var from = document.getElementById("from"), to = document.getElementById("to"), span = document.getElementById("span"), count = document.getElementById("count");
          function iso(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }
          if (days.length === 0) { document.getElementById("time").style.display = "none"; }
          var lo = Infinity, hi = -Infinity;
          days.forEach(function (e) { lo = Math.min(lo, e._t0); hi = Math.max(hi, e._t1 === undefined ? e._t0 : e._t1); });
          [from, to].forEach(function (s) { s.min = lo; s.max = hi; s.step = 1; });
          from.value = lo; to.value = hi;
          function filter() {
            var a = +from.value, b = +to.value;
            if (a > b) { if (this === from) to.value = a; else from.value = b; a = +from.value; b = +to.value; }
            var shown = 0;
            marks.forEach(function (m) {
              var e = events[+m.getAttribute("data-i")], on = !e || e._t0 === undefined || (e._t0 <= b && (e._t1 === undefined ? e._t0 : e._t1) >= a);
              m.style.display = on ? "" : "none"; if (on) shown++;
            });
            pairs.forEach(function (p) {
              // An arrow stays while one of its pairs has both dates in the span (or no dates).
              var spans = (p.getAttribute("data-t") || "").split(" "), on = spans.length === 0;
              spans.forEach(function (s) {
                var t = s.split(":"), t0 = t[0] === "" ? a : +t[0], t1 = t[1] === undefined || t[1] === "" ? b : +t[1];
                if (t0 >= a && t0 <= b && t1 >= a && t1 <= b) on = true;
              });
              p.style.display = on ? "" : "none";
            });
            span.textContent = days.length ? iso(a) + " – " + iso(b) : "";
            count.textContent = shown + " of " + marks.length + " events";
          }
          from.addEventListener("input", filter); to.addEventListener("input", filter);
          filter.call(from);
        })();
        """#
}
