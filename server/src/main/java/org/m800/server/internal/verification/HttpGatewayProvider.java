package org.m800.server.internal.verification;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.m800.server.VerificationSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers through an SMS gateway's HTTP API: one request per delivery to the configured URL, with
 * basic authentication and/or configured headers, and a body made from the configured template
 * (placeholders {@code {{to}} {{code}} {{method}} {{locale}} {{message}} {{callerNumber}}
 * {{sessionId}}}). A 2xx answer counts as sent. Neither the code, the body nor the credentials are
 * logged. Thread-safe.
 */
final class HttpGatewayProvider implements DeliveryProvider {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGatewayProvider.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private final VerificationSettings.Gateway gateway;
    private final HttpClient http;

    HttpGatewayProvider(VerificationSettings.Gateway gateway, HttpClient http) {
        this.gateway = gateway;
        this.http = http;
    }

    @Override
    public Result deliver(Delivery d) throws DeliveryException {
        UnaryOperator<String> escape = escaper(gateway.contentType());
        Map<String, String> values = Map.of("to", d.phoneNumber(), "code", d.code(), "method", d.method().name(),
                "locale", d.locale(), "message", d.message(),
                "callerNumber", d.callerNumber() == null ? "" : d.callerNumber(), "sessionId", d.sessionId());
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.url()).timeout(gateway.timeout())
                .header("Content-Type", gateway.contentType())
                .method(gateway.method(), HttpRequest.BodyPublishers.ofString(fill(gateway.bodyTemplate(), values, escape),
                        StandardCharsets.UTF_8));
        if (gateway.username() != null) {
            String pair = gateway.username() + ":" + (gateway.password() == null ? "" : gateway.password());
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        gateway.headers().forEach((k, v) -> request.header(k, fill(v, values, UnaryOperator.identity())));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.warn("SMS gateway {} failed for session {}: {}", gateway.url(), d.sessionId(), e.toString());
            throw new DeliveryException("the SMS gateway could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while calling the SMS gateway", e);
        }
        if (response.statusCode() / 100 != 2) {
            LOG.warn("SMS gateway {} answered HTTP {} for session {}", gateway.url(), response.statusCode(),
                    d.sessionId());
            throw new DeliveryException("the SMS gateway refused the message (HTTP " + response.statusCode() + ")", null);
        }
        LOG.debug("SMS gateway accepted {} for session {}", d.method(), d.sessionId());
        return Result.SENT;
    }

    static String fill(String template, Map<String, String> values, UnaryOperator<String> escape) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : escape.apply(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static UnaryOperator<String> escaper(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        if (ct.contains("json")) {
            return HttpGatewayProvider::jsonEscape;
        }
        if (ct.contains("x-www-form-urlencoded")) {
            return v -> URLEncoder.encode(v, StandardCharsets.UTF_8);
        }
        return UnaryOperator.identity();
    }

    private static String jsonEscape(String v) {
        StringBuilder out = new StringBuilder();
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
