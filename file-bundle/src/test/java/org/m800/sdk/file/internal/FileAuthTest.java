package org.m800.sdk.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.testing.ReferenceServerFixture;

/** File requests with a wrong token or a wrong application signature are refused: UNAUTHORIZED, nothing seen. */
public class FileAuthTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ReferenceServerFixture fx = new ReferenceServerFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void aWrongTokenOrSignatureGetsUnauthorized() throws Exception {
        ClientConfig config = fx.config("ann").build();
        Client ann = fx.open(ReferenceServerFixture.DEV_APP, config, FileManager.MODULE);
        ReferenceServerFixture.get(ann.require(AccountManager.class).signUp("ann", "ann-password", null), 20);
        java.nio.file.Path file = temp.newFile("a.bin").toPath();
        java.nio.file.Files.write(file, new byte[100]);
        FileManager files = ann.require(FileManager.class);
        // no wait for the feature's log-in hook: an upload just after the sign-up takes the user from the account
        FileInfo info = files.upload(file, null, null).result().get(20, TimeUnit.SECONDS);
        String fileId = info.fileId();

        AccountManager bogus = (AccountManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { AccountManager.class }, (p, m, a) -> {
                    if (m.getName().equals("accessToken")) {
                        return CompletableFuture.completedFuture("not-a-token");
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        try (FileHttp http = new FileHttp("t1", config, new FileSigner(ReferenceServerFixture.DEV_APP), bogus)) {
            M800Exception e = expectFailure(() -> FileInfos.fetch(http, fileId, Duration.ofSeconds(10), null));
            assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        }
        AppMeta wrongSecret = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
                .applicationKey("dev-key").applicationSecret("not-the-secret").developerKey("dev-developer")
                .applicationVersion("1.0").build();
        try (FileHttp http = new FileHttp("t2", config, new FileSigner(wrongSecret), ann.require(AccountManager.class))) {
            M800Exception e = expectFailure(() -> FileInfos.fetch(http, fileId, Duration.ofSeconds(10), null));
            assertEquals(ErrorCode.UNAUTHORIZED, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("BAD_SIGNATURE"));
        }
        // the right credentials see it
        try (FileHttp http = new FileHttp("t3", config, new FileSigner(ReferenceServerFixture.DEV_APP),
                ann.require(AccountManager.class))) {
            assertEquals(100, FileInfos.fetch(http, fileId, Duration.ofSeconds(10), null).size());
        }
    }

    interface Call {
        Object run() throws Exception;
    }

    private static M800Exception expectFailure(Call c) throws Exception {
        try {
            c.run();
        } catch (M800Exception e) {
            return e;
        }
        throw new AssertionError("expected an M800Exception");
    }
}
