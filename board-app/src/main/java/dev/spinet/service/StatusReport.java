package dev.spinet.service;

import dev.spinet.Stack;
import dev.spinet.dns.DnsCounter;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.stats.Counters;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.udp.UdpSocketCounter;
import dev.spinet.lab.StateDiagramSvg;
import dev.spinet.wire.Ipv4Packet;
import java.util.Set;

/**
 * The status server's data, rendered as HTML ({@code /}) and JSON ({@code /status.json}): the
 * board, each live connection with its state and byte counts, each service's totals, the
 * interface and TCP counters, the device's counters (a chip's driver and SPI counters, a TAP's
 * read and write counts: {@code docs/drivers.md}, "Counters on the status page"), and the
 * state-diagram edges walked. On a board running a lab the page names the lab, lists the lab's
 * connections and its port with the services, and draws only the lab's connections' edges
 * ({@link LabConnections}). The HTML page updates itself every {@link #REFRESH_SECONDS} s.
 * Rendering uses the caller's
 * StringBuilder and allocates (small strings for numbers and names): it runs at request time,
 * not on the packet path.
 */
public final class StatusReport {

    /** How often the HTML page fetches itself again. */
    public static final int REFRESH_SECONDS = 2;
    /**
     * The colour the diagram draws this board's walked edges in: the lab reports' first side
     * ({@link StateDiagramSvg}, solid). The page's text names it and a test checks both agree.
     */
    static final String WALKED_COLOUR = "#1f5fbf";
    static final String WALKED_COLOUR_NAME = "blue";

    private final Stack stack;
    private final ConnectionTable table;
    private final EdgeRecorder edges;
    private final Set<ServiceKind> services;
    private final String halName;
    private final DeviceCounters deviceCounters;
    private final NanoClock clock;
    private final long startedNanos;
    /** The lab this board runs, or null. */
    private LabOnStatusPage lab;
    private final java.util.List<StatusSection> sections = new java.util.ArrayList<>();

    /**
     * @param deviceCounters the counters of the device under the stack ({@link DeviceCounters#NONE}
     *     when it counts nothing), shown whole so a fault that never happened reads 0
     */
    public StatusReport(Stack stack, ConnectionTable table, EdgeRecorder edges, Set<ServiceKind> services, String halName,
                        DeviceCounters deviceCounters, NanoClock clock) {
        this.stack = stack;
        this.deviceCounters = deviceCounters;
        this.table = table;
        this.edges = edges;
        this.services = Set.copyOf(services);
        this.halName = halName;
        this.clock = clock;
        this.startedNanos = clock.nanoTime();
    }

    public EdgeRecorder edges() {
        return edges;
    }

    /** Shows the lab this board runs (call once, before serving). */
    public StatusReport showLab(LabOnStatusPage lab) {
        this.lab = lab;
        return this;
    }

    /** The lab this board runs, or null. */
    public LabOnStatusPage lab() {
        return lab;
    }

    // ---- the diagram ----

    /**
     * The state diagram with the edges walked highlighted (the lab's connections only, on a board
     * running a lab), numbered in the order this board first walked each.
     */
    public void appendDiagramSvg(StringBuilder out) {
        String legend = lab == null ? "this board (edges walked since start, numbered in first-walked order)"
                : "lab " + lab.name() + " on this board (its connections only, numbered in first-walked order)";
        out.append(StateDiagramSvg.render(edges.walkedInOrder(), java.util.List.of(), legend, ""));
    }

    /** Adds a member to {@code /status.json}, after the ones this report writes itself. */
    public StatusReport add(StatusSection section) {
        sections.add(section);
        return this;
    }

    // ---- JSON ----

    /** Appends the whole status as one JSON object. */
    public void appendJson(StringBuilder out) {
        long now = clock.nanoTime();
        TcpLayer tcp = stack.tcp();
        out.append("{\"board\":{");
        field(out, "ip", Ipv4Packet.formatAddress(stack.iface().localAddress())).append(',');
        out.append("\"prefix\":").append(prefixLength()).append(',');
        field(out, "gateway", Ipv4Packet.formatAddress(stack.iface().gateway())).append(',');
        field(out, "mac", MacAddress.format(stack.iface().macAddress())).append(',');
        field(out, "hal", halName).append(',');
        out.append("\"link_up\":").append(stack.iface().device().linkUp()).append(',');
        out.append("\"uptime_ms\":").append((now - startedNanos) / 1_000_000).append("},");

        out.append("\"connections\":[");
        boolean first = true;
        if (lab != null) {
            LabConnections labs = lab.connections();
            for (int slot = 0; slot < labs.capacity(); slot++) {
                if (!labs.isLabConnection(slot)) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append("{\"handle\":").append(labs.id(slot)).append(',');
                field(out, "service", "lab").append(',');
                out.append("\"local_port\":").append(labs.localPort(slot)).append(',');
                field(out, "remote", Ipv4Packet.formatAddress(labs.remoteAddress(slot))).append(',');
                out.append("\"remote_port\":").append(labs.remotePort(slot)).append(',');
                field(out, "state", labs.state(slot).name()).append('}');
            }
        }
        for (int slot = 0; slot < table.capacity(); slot++) {
            if (!table.live(slot)) {
                continue;
            }
            int handle = table.handle(slot);
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append("{\"handle\":").append(handle).append(',');
            field(out, "service", table.service(slot).label()).append(',');
            out.append("\"local_port\":").append(table.service(slot).port()).append(',');
            field(out, "remote", Ipv4Packet.formatAddress(table.remoteAddress(slot))).append(',');
            out.append("\"remote_port\":").append(table.remotePort(slot)).append(',');
            field(out, "state", tcp.state(handle).name()).append(',');
            out.append("\"age_ms\":").append((now - table.openedNanos(slot)) / 1_000_000).append(',');
            out.append("\"bytes_in\":").append(table.bytesIn(slot)).append(',');
            out.append("\"bytes_out\":").append(table.bytesOut(slot)).append('}');
        }
        out.append("],\"services\":[");
        first = true;
        for (ServiceKind kind : ServiceKind.all()) {
            if (!services.contains(kind)) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('{');
            field(out, "name", kind.label()).append(',');
            out.append("\"port\":").append(kind.port()).append(',');
            out.append("\"accepted\":").append(table.accepted(kind)).append(',');
            out.append("\"bytes_in\":").append(table.bytesIn(kind)).append(',');
            out.append("\"bytes_out\":").append(table.bytesOut(kind)).append('}');
        }
        out.append("],");
        if (lab != null) {
            LabConnections labs = lab.connections();
            out.append("\"lab\":{");
            field(out, "name", lab.name()).append(',');
            field(out, "title", lab.title()).append(',');
            field(out, "role", lab.role()).append(",\"ports\":[");
            for (int i = 0; labs.labPort(i) != 0; i++) {
                out.append(i == 0 ? "{" : ",{").append("\"port\":").append(labs.labPort(i))
                        .append(",\"established\":").append(labs.labPortOpened(i)).append('}');
            }
            out.append("],\"transitions\":").append(labs.labTransitions()).append(",\"service_transitions\":")
                    .append(labs.serviceTransitions()).append("},");
        }
        out.append("\"closed\":{");
        CloseReason[] reasons = CloseReason.values();
        for (int i = 0; i < reasons.length; i++) {
            out.append(i == 0 ? "" : ",").append('"').append(reasons[i].name()).append("\":").append(table.closed(reasons[i]));
        }
        out.append("},\"tcp\":{");
        out.append("\"connections_in_use\":").append(tcp.connectionsInUse()).append(',');
        out.append("\"connection_capacity\":").append(tcp.connectionCapacity()).append(',');
        out.append("\"time_wait_entries\":").append(tcp.timeWaitEntries()).append(',');
        out.append("\"listeners\":").append(tcp.listenersInUse()).append(',');
        out.append("\"counters\":");
        counters(out, tcp.counters());
        out.append("},\"interface\":{\"counters\":");
        counters(out, stack.iface().counters());
        out.append('}');
        appendResolverJson(out);
        appendUdpSocketsJson(out);
        out.append(",\"device\":{");
        field(out, "hal", halName).append(",\"counters\":{");
        for (int i = 0; i < deviceCounters.counterCount(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(deviceCounters.counterName(i)).append("\":").append(deviceCounters.counterValue(i));
        }
        out.append("}},\"diagram\":{\"transitions\":").append(edges.total()).append(',');
        out.append("\"off_diagram\":").append(edges.offDiagram()).append(',');
        out.append("\"not_drawn\":").append(lab == null ? 0 : lab.connections().serviceTransitions()).append(",\"edges\":[");
        for (int i = 0; i < edges.edges().size(); i++) {
            StateDiagram.Edge edge = edges.edges().get(i);
            out.append(i == 0 ? "{" : ",{");
            field(out, "from", edge.from().name()).append(',');
            field(out, "to", edge.to().name()).append(',');
            field(out, "cause", edge.cause().name()).append(',');
            field(out, "sends", edge.sends().name()).append(',');
            out.append("\"walked\":").append(edges.walked(i)).append('}');
        }
        out.append("]}");
        for (StatusSection section : sections) {
            out.append(",\"").append(section.name()).append("\":");
            section.appendJson(out);
        }
        out.append('}');
    }

    /** Whether the stack has a DNS resolver ({@code StackConfig.dnsQueries} and UDP endpoints). */
    private boolean hasResolver() {
        return stack.tcp().config().udpSockets > 0 && stack.tcp().config().dnsQueries > 0;
    }

    /** Whether the stack has application UDP sockets ({@code StackConfig.udpAppSockets}). */
    private boolean hasUdpSockets() {
        return stack.tcp().config().udpSockets > 0 && stack.tcp().config().udpAppSockets > 0;
    }

    /**
     * {@code "dns"}: the resolver's totals a reader asks for first (docs/dns.md), then every
     * counter. Queries are those sent over UDP and over TCP; a TCP retry is a question asked
     * again over TCP after a truncated UDP answer (RFC 7766 5); a timeout is one attempt that
     * got no answer (RFC 1035 4.2.1), so one lookup can count several.
     */
    private void appendResolverJson(StringBuilder out) {
        if (!hasResolver()) {
            return;
        }
        Counters<DnsCounter> dns = stack.dns().counters();
        out.append(",\"dns\":{\"queries\":").append(dns.get(DnsCounter.QUERIES_SENT_UDP) + dns.get(DnsCounter.QUERIES_SENT_TCP))
                .append(",\"answers\":").append(dns.get(DnsCounter.ANSWERS_ACCEPTED))
                .append(",\"timeouts\":").append(dns.get(DnsCounter.ATTEMPT_TIMEOUTS))
                .append(",\"nxdomain\":").append(dns.get(DnsCounter.RCODE_NAME_ERROR))
                .append(",\"cache_hits\":").append(dns.get(DnsCounter.LOOKUPS_ANSWERED_FROM_CACHE))
                .append(",\"tcp_retries\":").append(dns.get(DnsCounter.QUERIES_SENT_TCP))
                .append(",\"counters\":");
        counters(out, dns);
        out.append('}');
    }

    /** {@code "udp_sockets"}: the application datagram sockets' traffic, then every counter. */
    private void appendUdpSocketsJson(StringBuilder out) {
        if (!hasUdpSockets()) {
            return;
        }
        Counters<UdpSocketCounter> udp = stack.udpSockets().counters();
        out.append(",\"udp_sockets\":{\"datagrams_in\":").append(udp.get(UdpSocketCounter.RX_QUEUED))
                .append(",\"datagrams_out\":").append(udp.get(UdpSocketCounter.TX_SENT))
                .append(",\"dropped_ring_full\":").append(udp.get(UdpSocketCounter.RX_DROP_QUEUE_FULL))
                .append(",\"counters\":");
        counters(out, udp);
        out.append('}');
    }

    /**
     * The interface's prefix length now, not the configured one: with {@code --ip dhcp} the
     * configuration holds none and the DHCP client sets the netmask when it is bound.
     */
    private int prefixLength() {
        return Integer.bitCount(stack.iface().netmask());
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        // Names and values here are identifiers, addresses and enum names: no escaping needed
        // beyond quotes and backslashes, which none contains; escape anyway to stay valid JSON.
        out.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            if (c >= 0x80) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c)); // the response is sent as ASCII
            } else {
                out.append(c < 0x20 ? ' ' : c);
            }
        }
        return out.append('"');
    }

    private static <E extends Enum<E>> void counters(StringBuilder out, Counters<E> counters) {
        out.append('{');
        E[] names = counters.names();
        for (int i = 0; i < names.length; i++) {
            out.append(i == 0 ? "\"" : ",\"").append(names[i].name()).append("\":").append(counters.get(names[i]));
        }
        out.append('}');
    }

    // ---- HTML ----

    /**
     * Fetches the page again every {@link #REFRESH_SECONDS} s and swaps in its {@code #live} part,
     * so the scroll position stays; one request at a time, and a line saying when the board last
     * answered. Without scripts the {@code noscript} meta refresh reloads the whole page instead.
     */
    private static final String REFRESH_SCRIPT = """
            <script>
            (function () {
              var note = document.getElementById('refresh');
              function update() {
                fetch('/', {cache: 'no-store'}).then(function (r) {
                  if (!r.ok) { throw new Error('HTTP ' + r.status); }
                  return r.text();
                }).then(function (text) {
                  var live = new DOMParser().parseFromString(text, 'text/html').getElementById('live');
                  if (live) { document.getElementById('live').replaceWith(live); }
                  note.textContent = 'Updated at ' + new Date().toLocaleTimeString() + '; the page updates itself every SECONDS s.';
                }).catch(function () {
                  note.textContent = 'The board did not answer at ' + new Date().toLocaleTimeString() + '; trying again every SECONDS s.';
                }).finally(function () { setTimeout(update, SECONDS * 1000); });
              }
              setTimeout(update, SECONDS * 1000);
            })();
            </script>
            """.replace("SECONDS", Integer.toString(REFRESH_SECONDS));

    /** Appends the status page. */
    public void appendHtml(StringBuilder out) {
        long now = clock.nanoTime();
        TcpLayer tcp = stack.tcp();
        String ip = Ipv4Packet.formatAddress(stack.iface().localAddress());
        String labSuffix = lab == null ? "" : " &middot; lab " + html(lab.name());
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>spinet ").append(ip).append(labSuffix)
                .append("</title>\n<noscript><meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\"></noscript>\n")
                .append("<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse;margin-bottom:1em}"
                        + "td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}td.n{text-align:right}"
                        + "p.lab{font-size:1.15em;background:#f2f2f2;border-left:4px solid #888;padding:.5em 1em}"
                        + "svg{max-width:100%;height:auto}.walked{color:" + WALKED_COLOUR + ";font-weight:bold}"
                        + "#refresh{color:#666}</style></head><body>\n");
        out.append("<h1>spinet ").append(ip).append('/').append(prefixLength()).append(labSuffix).append("</h1>\n");
        out.append("<p id=\"refresh\">The page updates itself every ").append(REFRESH_SECONDS).append(" s.</p>\n");
        out.append("<div id=\"live\">\n");
        if (lab != null) {
            out.append("<p class=\"lab\"><b>Lab ").append(html(lab.name())).append(": ").append(html(lab.title()))
                    .append(".</b> This board: ").append(html(lab.role()))
                    .append(" <code>spinet lab show ").append(html(lab.name())).append("</code> prints the exercise.</p>\n");
        }
        out.append("<p>hal ").append(html(halName)).append(", mac ").append(MacAddress.format(stack.iface().macAddress()))
                .append(", gateway ").append(Ipv4Packet.formatAddress(stack.iface().gateway()))
                .append(", link ").append(stack.iface().device().linkUp() ? "up" : "down")
                .append(", up ").append((now - startedNanos) / 1_000_000_000L).append(" s. ")
                .append("<a href=\"/status.json\">status.json</a> &middot; <a href=\"/diagram.svg\">diagram.svg</a></p>\n");

        out.append("<h2>Connections (").append(tcp.connectionsInUse()).append(" of ").append(tcp.connectionCapacity())
                .append(" TCBs in use, ").append(tcp.timeWaitEntries()).append(" in TIME-WAIT)</h2>\n")
                .append("<table><tr><th>handle</th><th>service</th><th>remote</th><th>state</th><th>age ms</th>"
                        + "<th>bytes in</th><th>bytes out</th></tr>\n");
        if (lab != null) {
            LabConnections labs = lab.connections();
            for (int slot = 0; slot < labs.capacity(); slot++) {
                if (labs.isLabConnection(slot)) {
                    out.append("<tr><td class=\"n\">").append(labs.id(slot)).append("</td><td>lab ").append(html(lab.name()))
                            .append(':').append(labs.localPort(slot)).append("</td><td>")
                            .append(labs.remotePort(slot) == 0 ? "" : Ipv4Packet.formatAddress(labs.remoteAddress(slot)) + ":" + labs.remotePort(slot))
                            .append("</td><td>").append(labs.state(slot).name())
                            .append("</td><td></td><td></td><td></td></tr>\n");
                }
            }
        }
        for (int slot = 0; slot < table.capacity(); slot++) {
            if (!table.live(slot)) {
                continue;
            }
            int handle = table.handle(slot);
            out.append("<tr><td class=\"n\">").append(handle).append("</td><td>").append(table.service(slot).label())
                    .append(':').append(table.service(slot).port()).append("</td><td>")
                    .append(Ipv4Packet.formatAddress(table.remoteAddress(slot))).append(':').append(table.remotePort(slot))
                    .append("</td><td>").append(tcp.state(handle).name()).append("</td><td class=\"n\">")
                    .append((now - table.openedNanos(slot)) / 1_000_000).append("</td><td class=\"n\">")
                    .append(table.bytesIn(slot)).append("</td><td class=\"n\">").append(table.bytesOut(slot)).append("</td></tr>\n");
        }
        out.append("</table>\n<h2>Services</h2>\n<table><tr><th>service</th><th>port</th><th>connections</th>"
                + "<th>bytes in</th><th>bytes out</th></tr>\n");
        if (lab != null) {
            LabConnections labs = lab.connections();
            for (int i = 0; labs.labPort(i) != 0; i++) {
                out.append("<tr><td>lab ").append(html(lab.name())).append("</td><td class=\"n\">").append(labs.labPort(i))
                        .append("</td><td class=\"n\">").append(labs.labPortOpened(i))
                        .append("</td><td class=\"n\">-</td><td class=\"n\">-</td></tr>\n");
            }
        }
        for (ServiceKind kind : ServiceKind.all()) {
            if (services.contains(kind)) {
                out.append("<tr><td>").append(kind.label()).append("</td><td class=\"n\">").append(kind.port())
                        .append("</td><td class=\"n\">").append(table.accepted(kind)).append("</td><td class=\"n\">")
                        .append(table.bytesIn(kind)).append("</td><td class=\"n\">").append(table.bytesOut(kind)).append("</td></tr>\n");
            }
        }
        out.append("</table>\n<h2>State diagram</h2>\n<p>");
        if (lab == null) {
            out.append(edges.total()).append(" transitions, ").append(edges.offDiagram()).append(" off the diagram. ")
                    .append("Edges this board walked are drawn <span class=\"walked\">solid ").append(WALKED_COLOUR_NAME)
                    .append("</span>, numbered in the order it first walked them.");
        } else {
            out.append(edges.total()).append(" transitions of the lab's connections, ").append(edges.offDiagram())
                    .append(" off the diagram. Edges they walked are drawn <span class=\"walked\">solid ").append(WALKED_COLOUR_NAME)
                    .append("</span>, numbered in the order this board first walked them. The services' own connections (")
                    .append("this page and its updates included) made ").append(lab.connections().serviceTransitions())
                    .append(" transitions; they are counted here, not drawn, and not in --trace.");
        }
        out.append("</p>\n<div class=\"diagram\">");
        appendDiagramSvg(out);
        out.append("</div>\n");
        out.append("<h2>TCP counters</h2>\n");
        counterTable(out, tcp.counters());
        out.append("<h2>Interface counters</h2>\n");
        counterTable(out, stack.iface().counters());
        if (hasResolver()) {
            out.append("<h2>DNS resolver counters</h2>\n");
            counterTable(out, stack.dns().counters());
        }
        if (hasUdpSockets()) {
            out.append("<h2>UDP socket counters</h2>\n");
            counterTable(out, stack.udpSockets().counters());
        }
        out.append("<h2>Device counters (").append(html(halName)).append(")</h2>\n<table>");
        for (int i = 0; i < deviceCounters.counterCount(); i++) {
            out.append("<tr><td>").append(deviceCounters.counterName(i)).append("</td><td class=\"n\">")
                    .append(deviceCounters.counterValue(i)).append("</td></tr>");
        }
        out.append("</table>\n</div>\n");
        out.append(REFRESH_SCRIPT);
        out.append("</body></html>\n");
    }

    private static <E extends Enum<E>> void counterTable(StringBuilder out, Counters<E> counters) {
        out.append("<table>");
        E[] names = counters.names();
        for (E name : names) {
            long value = counters.get(name);
            if (value != 0) {
                out.append("<tr><td>").append(name.name()).append("</td><td class=\"n\">").append(value).append("</td></tr>");
            }
        }
        out.append("</table><p>(counters at zero not shown)</p>\n");
    }

    /** Escapes for HTML text and attributes; characters beyond ASCII become references (the page is sent as ASCII). */
    static String html(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x80) {
                        out.append((char) c);
                    } else {
                        out.append("&#").append(c).append(';');
                    }
                }
            }
        });
        return out.toString();
    }
}
