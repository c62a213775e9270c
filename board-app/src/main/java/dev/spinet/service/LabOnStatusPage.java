package dev.spinet.service;

/**
 * What the status page says about the lab a board runs ({@code spinet run --lab NAME}): its name
 * and title as {@code spinet lab list} prints them, what this board does in it, and which
 * connections are the lab's.
 *
 * @param name        the lab's name ({@code handshake})
 * @param title       its title ({@code The three-way handshake})
 * @param role        what the board does, one paragraph ({@code LabRole.description()})
 * @param connections the lab's connections, told apart from the services'
 */
public record LabOnStatusPage(String name, String title, String role, LabConnections connections) {
}
