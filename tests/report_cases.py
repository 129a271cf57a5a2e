"""Statements for the report tests: every kind of change, and hostile text that must stay text."""

from __future__ import annotations

OLD = """title: Old <b>statement</b>
date: 2024-01-31
source: https://example.org/fomc/old (via the archive)
issuers: Federal Open Market Committee, Board of Governors

Recent indicators suggest that economic activity has been expanding at a solid pace. \
Job gains have moderated since early last year but remain strong. \
The unemployment rate has remained low. \
Inflation has eased over the past year but remains elevated. \
The Committee seeks to achieve maximum employment and inflation at the rate of 2 percent over the longer run. \
The Committee judges that the risks to achieving its employment and inflation goals are moving into better balance. \
The economic outlook is uncertain, and the Committee remains highly attentive to inflation risks. \
The Committee decided to raise the target range for the federal funds rate \
and it will continue to monitor the incoming data closely. \
The Committee will continue reducing its holdings of Treasury securities.
"""

NEW = """title: New statement
date: 2024-03-20
source: https://example.org/fomc/new

Recent indicators suggest that economic activity has been expanding at a solid pace. \
The economic outlook is uncertain, and the Committee remains highly attentive to inflation risks. \
Job gains have remained strong, and the unemployment rate has remained low. \
Inflation has eased over the past year but remains elevated. \
The Committee seeks to achieve maximum employment and inflation at the rate of 2 percent over the longer run. \
The Committee judges that the risks to achieving its employment and inflation goals are moving into better balance. \
Banks are sound and resilient. \
The Committee decided to raise the target range for the federal funds rate. \
It will continue to monitor the incoming data closely. \
The Committee will continue reducing its holdings of Treasury securities.
"""

PWN = "window.__pwned=1"

XSS_OLD = f"""title: <script>{PWN}</script> Old
date: 2024-01-01
source: javascript:{PWN}

The Committee met today. \
Markets were calm {{{{ 7*7 }}}} all week. \
The outlook is steady.
"""

XSS_NEW = f"""title: New {{{{ config }}}}
date: 2024-02-01
source: "><script>{PWN}</script>

The Committee met today. \
Markets were calm <img src=x onerror={PWN}> all week. \
<script>{PWN}</script> \
Read <a href="javascript:{PWN}">this</a> now. \
The outlook is steady.
"""
