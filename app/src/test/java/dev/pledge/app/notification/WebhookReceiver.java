package dev.pledge.app.notification;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP server on a loopback port that records every request (raw body and headers) and answers
 * with the status the script gives for the n-th request (1-based); -1 means never answer.
 */
final class WebhookReceiver implements AutoCloseable {
    record Received(byte[] body, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    WebhookReceiver(IntUnaryOperator statusOfRequest) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/hooks/pledge", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(body, Map.copyOf(exchange.getRequestHeaders())));
            int status = statusOfRequest.applyAsInt(received.size());
            if (status < 0) {
                try {
                    closing.await(); // never answers: the sender's read timeout ends it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] answer = (status == 200 ? "ok" : "receiver error " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/pledge");
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
