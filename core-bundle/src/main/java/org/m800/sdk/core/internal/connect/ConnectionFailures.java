package org.m800.sdk.core.internal.connect;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.m800.sdk.core.ConnectionFailure;
import org.m800.sdk.core.ErrorCode;

/** Which {@link ConnectionFailure} a failure of the transport, the server or the token source is. */
final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /** @return the kind of the first cause in the chain that says one; NETWORK if none does */
    static ConnectionFailure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return ConnectionFailure.UNKNOWN_HOST;
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return ConnectionFailure.TLS;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof PortUnreachableException) {
                return ConnectionFailure.REFUSED;
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return ConnectionFailure.TIMEOUT;
            }
            if (t instanceof UpgradeException) {
                // the HTTP answer to the upgrade was not 101: a wrong path, or not a WebSocket server;
                // a TLS problem underneath it was found above
                return causeOtherThanUpgrade(t);
            }
        }
        return ConnectionFailure.NETWORK;
    }

    private static ConnectionFailure causeOtherThanUpgrade(Throwable upgrade) {
        ConnectionFailure inner = upgrade.getCause() == null || upgrade.getCause() == upgrade
                ? ConnectionFailure.NETWORK : classify(upgrade.getCause());
        return inner == ConnectionFailure.NETWORK ? ConnectionFailure.REJECTED : inner;
    }

    /** @return the kind of a close by the server (other than 4001, a log-out) */
    static ConnectionFailure closedBy(int code) {
        return switch (code) {
            case 1008, 1002, 1003, 1007, 1009 -> ConnectionFailure.REJECTED;
            default -> ConnectionFailure.LOST;
        };
    }

    /** @return the kind of a passing failure to get an access token (NETWORK, TIMEOUT, SERVER_ERROR, RATE_LIMITED) */
    static ConnectionFailure ofToken(ErrorCode code) {
        return switch (code) {
            case TIMEOUT -> ConnectionFailure.TIMEOUT;
            case NETWORK -> ConnectionFailure.NETWORK;
            default -> ConnectionFailure.REJECTED;
        };
    }

    /** @return the class and message of the innermost cause, for a reason people read */
    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** @return whether a failure to get an access token is passing: tried again after the back-off */
    static boolean passing(ErrorCode code) {
        return code == ErrorCode.NETWORK || code == ErrorCode.TIMEOUT || code == ErrorCode.SERVER_ERROR
                || code == ErrorCode.RATE_LIMITED;
    }
}
