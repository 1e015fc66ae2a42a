package org.m800.server.internal.verification;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.m800.server.VerificationSettings;
import org.m800.server.internal.db.Migration;
import org.m800.server.internal.feature.FeatureContext;
import org.m800.server.internal.feature.ServerFeature;
import org.m800.server.internal.http.HttpCall;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phone-number verification (docs/protocol.md section 11): the HTTP routes under
 * {@code /v1/verification/}, the development outbox route, and the sign-up proof policy.
 */
public final class VerificationFeature implements ServerFeature {
    /** Base path of the routes. */
    public static final String PATH = "/v1/verification/";
    private static final Logger LOG = LoggerFactory.getLogger(VerificationFeature.class);
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}");

    private final boolean outboxShown;

    /** @param outboxShown whether the development outbox route shows codes (otherwise it is refused) */
    public VerificationFeature(boolean outboxShown) {
        this.outboxShown = outboxShown;
    }

    @Override
    public String name() {
        return "verification";
    }

    @Override
    public List<Migration> migrations() {
        return List.of(new Migration(1, "verification sessions, sends and proofs",
                "/org/m800/server/internal/db/verification/V1__verification.sql"));
    }

    @Override
    public void install(FeatureContext context) {
        VerificationService service = new VerificationService(context.database(), context.clock());
        context.httpRoutes().add("POST", PATH + "start", call -> service.start(call.application(),
                Fields.requiredText(call.body(), "phoneNumber", 1, 64, null), method(call),
                locale(call), call.remoteAddress()));
        context.httpRoutes().add("POST", PATH + "check", call -> service.check(call.application(), sessionId(call),
                Fields.requiredText(call.body(), "code", 1, 32, null)));
        context.httpRoutes().add("POST", PATH + "resend", call -> service.resend(call.application(), sessionId(call),
                call.remoteAddress()));
        context.httpRoutes().add("POST", PATH + "cancel", call -> service.cancel(call.application(), sessionId(call)));
        context.httpRoutes().add("POST", PATH + "status", call -> service.status(call.application(), sessionId(call)));
        context.httpRoutes().add("POST", PATH + "outbox", call -> {
            if (!outboxShown) {
                throw WireException.of(WireCode.NOT_FOUND, "OUTBOX_DISABLED", "the development outbox is off on "
                        + "this server (ReferenceServer.Builder.developmentOutbox, --dev-outbox)");
            }
            requireLoopback(call);
            Long limit = Fields.optionalNonNegativeLong(call.body(), "limit");
            String phone = Fields.optionalText(call.body(), "phoneNumber", 1, 64, null);
            return Json.object().set("deliveries", service.outbox().list(call.application().applicationKey(), phone,
                    (int) Math.min(OutboxProvider.CAPACITY, limit == null || limit == 0 ? 20 : limit)));
        });
        context.accounts().signUpGuard(service::checkSignUp);
        AccountPhoneNumbers phones = new AccountPhoneNumbers(context.database(), context.clock());
        context.imHandlers().register("phone.attach", phones::attach);
        context.imHandlers().register("phone.remove", phones::remove);
        context.imHandlers().registerIdempotent("phone.list", (ctx, data) -> phones.list(ctx));
        context.scheduler().scheduleWithFixedDelay(() -> {
            try {
                service.purge();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Verification housekeeping failed", e);
            }
        }, 1, 10, TimeUnit.MINUTES);
    }

    private static String sessionId(HttpCall call) throws WireException {
        String id = Fields.requiredText(call.body(), "sessionId", 1, 64, null);
        if (!SESSION_ID.matcher(id).matches()) {
            throw WireException.invalid("sessionId", "BAD_FIELD", "sessionId has a bad format");
        }
        return id;
    }

    private static VerificationSettings.Method method(HttpCall call) throws WireException {
        String m = Fields.optionalText(call.body(), "method", 1, 32, null);
        if (m == null) {
            return VerificationSettings.Method.SMS;
        }
        try {
            return VerificationSettings.Method.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw WireException.invalid("method", "BAD_FIELD", "method must be SMS, VOICE_CALL or FLASH_CALL");
        }
    }

    private static String locale(HttpCall call) throws WireException {
        String l = Fields.optionalText(call.body(), "locale", 2, 35, LOCALE);
        return l == null ? "en" : l;
    }

    private static void requireLoopback(HttpCall call) throws WireException {
        boolean loopback = false;
        if (call.remoteAddress() != null) {
            try {
                // an IP literal: no name lookup happens
                loopback = InetAddress.getByName(call.remoteAddress()).isLoopbackAddress();
            } catch (UnknownHostException e) {
                loopback = false;
            }
        }
        if (!loopback) {
            throw WireException.unauthorized("LOOPBACK_ONLY", "the outbox is only shown to callers on the server's machine");
        }
    }
}
