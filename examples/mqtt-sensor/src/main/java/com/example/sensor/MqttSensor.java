package com.example.sensor;

import dev.spinet.app.Spinet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes a (simulated) temperature every second to an MQTT broker over Spinet, and serves the
 * latest reading on a TCP port. Usage: {@code java -jar mqtt-sensor.jar [--broker URI] [--count N]
 * [--status-port P] -- SPINET-RUN-OPTIONS}.
 */
public final class MqttSensor {

    private static volatile String latest = "no reading yet\n";

    private MqttSensor() {
    }

    public static void main(String[] args) throws Exception {
        int split = Arrays.asList(args).indexOf("--");
        List<String> own = Arrays.asList(args).subList(0, split < 0 ? args.length : split);
        String[] spinetArgs = split < 0 ? new String[0] : Arrays.copyOfRange(args, split + 1, args.length);
        String broker = option(own, "--broker", "tcp://10.0.0.1:1883");
        int count = Integer.parseInt(option(own, "--count", "0"));
        int statusPort = Integer.parseInt(option(own, "--status-port", "8080"));

        // 1. Start the stack on the HAL the spinet run options name; it runs on its own thread.
        try (Spinet spinet = Spinet.start(spinetArgs)) {
            // 2. A server: each connection gets the latest reading, on a virtual thread of its own.
            ServerSocket status = spinet.serverSocketFactory().createServerSocket(statusPort);
            Thread.ofVirtual().start(() -> serveStatus(status));

            // 3. A client library, unchanged, given Spinet's SocketFactory.
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(spinet.socketFactory());
            options.setAutomaticReconnect(true);
            options.setConnectionTimeout(10);
            MqttClient mqtt = new MqttClient(broker, "spinet-sensor-" + spinet.address().getHostAddress(), new MemoryPersistence());
            mqtt.connect(options);
            System.out.println("sensor: connected to " + broker + " from " + spinet.address().getHostAddress());
            for (int i = 1; count == 0 || i <= count; i++) {
                double celsius = 21.0 + 2.0 * Math.sin(i / 10.0);
                String reading = String.format(Locale.ROOT, "%.2f", celsius);
                MqttMessage message = new MqttMessage(reading.getBytes(StandardCharsets.US_ASCII));
                message.setQos(1);
                mqtt.publish("spinet/sensor/temperature", message);
                latest = reading + " C\n";
                System.out.println("sensor: published " + reading + " C");
                Thread.sleep(1_000);
            }
            mqtt.disconnect(5_000);
            mqtt.close();
            status.close();
        } catch (MqttException e) {
            System.err.println("sensor: MQTT failed: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            System.exit(1);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("sensor: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void serveStatus(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (client; OutputStream out = client.getOutputStream()) {
                        out.write(latest.getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static String option(List<String> args, String name, String fallback) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : fallback;
    }
}
