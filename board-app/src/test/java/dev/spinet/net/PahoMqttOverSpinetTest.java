package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Eclipse Paho MQTT client, unchanged, given Spinet's SocketFactory: a publisher and a
 * subscriber, both over Spinet, through Debian's mosquitto broker started on the kernel side
 * of the TAP. QoS 1 both ways, so the broker's PUBACK and the subscriber's PUBACK cross Spinet.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PahoMqttOverSpinetTest {

    @Test
    void publishAndSubscribeThroughMosquitto() throws Exception {
        try (SpinetOnTap board = SpinetOnTap.start("skmqtt", 4, new String[] {"mosquitto"})) {
            Path config = board.workDir.resolve("mosquitto.conf");
            Files.writeString(config, "listener 1883 " + board.kernelIp + "\nallow_anonymous true\nuser root\n"
                    + "persistence false\nlog_dest stderr\nlog_type all\n");
            board.background("running", "mosquitto", "-c", config.toString());
            String broker = "tcp://" + board.kernelIp + ":1883";
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(board.spinet.socketFactory());
            options.setCleanSession(true);
            options.setConnectionTimeout(10);
            options.setKeepAliveInterval(30);

            MqttClient subscriber = new MqttClient(broker, "spinet-subscriber", new MemoryPersistence());
            MqttClient publisher = new MqttClient(broker, "spinet-publisher", new MemoryPersistence());
            try {
                subscriber.connect(options);
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                subscriber.subscribe("spinet/sensors/#", 1,
                        (topic, message) -> received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8)));
                publisher.connect(options);
                for (int i = 0; i < 20; i++) {
                    MqttMessage message = new MqttMessage(("21." + i + " C").getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    publisher.publish("spinet/sensors/temperature", message);
                }
                for (int i = 0; i < 20; i++) {
                    String got = received.poll(20, TimeUnit.SECONDS);
                    assertNotNull(got, "message " + i + " did not arrive");
                    assertEquals("spinet/sensors/temperature=21." + i + " C", got);
                }
                assertTrue(publisher.isConnected() && subscriber.isConnected());
            } finally {
                if (publisher.isConnected()) {
                    publisher.disconnect(5_000);
                }
                if (subscriber.isConnected()) {
                    subscriber.disconnect(5_000);
                }
                publisher.close();
                subscriber.close();
            }
        }
    }
}
