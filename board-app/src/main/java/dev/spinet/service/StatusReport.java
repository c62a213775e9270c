package dev.spinet.service;

import dev.spinet.Stack;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.stats.Counters;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.wire.Ipv4Packet;
import java.util.Set;

/**
 * The status server's data, rendered as HTML ({@code /}) and JSON ({@code /status.json}): the
 * board, each live connection with its state and byte counts, each service's totals, the
 * interface and TCP counters, the device's counters (a chip's driver and SPI counters, a TAP's
 * read and write counts: {@code docs/drivers.md}, "Counters on the status page"), and the
 * state-diagram edges walked. Rendering uses the caller's
 * StringBuilder and allocates (small strings for numbers and names): it runs at request time,
 * not on the packet path.
 */
public final class StatusReport {

    private final Stack stack;
    private final ConnectionTable table;
    private final EdgeRecorder edges;
    private final Set<ServiceKind> services;
    private final String halName;
    private final DeviceCounters deviceCounters;
    private final NanoClock clock;
    private final long startedNanos;
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
        out.append("],\"closed\":{");
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
        out.append("},\"device\":{");
        field(out, "hal", halName).append(",\"counters\":{");
        for (int i = 0; i < deviceCounters.counterCount(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(deviceCounters.counterName(i)).append("\":").append(deviceCounters.counterValue(i));
        }
        out.append("}},\"diagram\":{\"transitions\":").append(edges.total()).append(',');
        out.append("\"off_diagram\":").append(edges.offDiagram()).append(",\"edges\":[");
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
            out.append(c < 0x20 ? ' ' : c);
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

    /** Appends the status page. */
    public void appendHtml(StringBuilder out) {
        long now = clock.nanoTime();
        TcpLayer tcp = stack.tcp();
        String ip = Ipv4Packet.formatAddress(stack.iface().localAddress());
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>spinet ").append(ip)
                .append("</title>\n<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse;margin-bottom:1em}"
                        + "td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}td.n{text-align:right}</style></head><body>\n");
        out.append("<h1>spinet ").append(ip).append('/').append(prefixLength()).append("</h1>\n<p>hal ")
                .append(html(halName)).append(", mac ").append(MacAddress.format(stack.iface().macAddress()))
                .append(", gateway ").append(Ipv4Packet.formatAddress(stack.iface().gateway()))
                .append(", link ").append(stack.iface().device().linkUp() ? "up" : "down")
                .append(", up ").append((now - startedNanos) / 1_000_000_000L).append(" s. ")
                .append("<a href=\"/status.json\">status.json</a> &middot; <a href=\"/diagram.svg\">diagram.svg</a></p>\n");

        out.append("<h2>Connections (").append(tcp.connectionsInUse()).append(" of ").append(tcp.connectionCapacity())
                .append(" TCBs in use, ").append(tcp.timeWaitEntries()).append(" in TIME-WAIT)</h2>\n")
                .append("<table><tr><th>handle</th><th>service</th><th>remote</th><th>state</th><th>age ms</th>"
                        + "<th>bytes in</th><th>bytes out</th></tr>\n");
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
        out.append("</table>\n<h2>Services</h2>\n<table><tr><th>service</th><th>port</th><th>accepted</th>"
                + "<th>bytes in</th><th>bytes out</th></tr>\n");
        for (ServiceKind kind : ServiceKind.all()) {
            if (services.contains(kind)) {
                out.append("<tr><td>").append(kind.label()).append("</td><td class=\"n\">").append(kind.port())
                        .append("</td><td class=\"n\">").append(table.accepted(kind)).append("</td><td class=\"n\">")
                        .append(table.bytesIn(kind)).append("</td><td class=\"n\">").append(table.bytesOut(kind)).append("</td></tr>\n");
            }
        }
        out.append("</table>\n<h2>State diagram</h2>\n<p>").append(edges.total()).append(" transitions, ")
                .append(edges.offDiagram()).append(" off the diagram. Edges this board walked are drawn in red.</p>\n")
                .append("<p><img src=\"/diagram.svg\" alt=\"TCP state diagram with the edges this board used\"></p>\n");
        out.append("<h2>TCP counters</h2>\n");
        counterTable(out, tcp.counters());
        out.append("<h2>Interface counters</h2>\n");
        counterTable(out, stack.iface().counters());
        out.append("<h2>Device counters (").append(html(halName)).append(")</h2>\n<table>");
        for (int i = 0; i < deviceCounters.counterCount(); i++) {
            out.append("<tr><td>").append(deviceCounters.counterName(i)).append("</td><td class=\"n\">")
                    .append(deviceCounters.counterValue(i)).append("</td></tr>");
        }
        out.append("</table>\n");
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

    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
