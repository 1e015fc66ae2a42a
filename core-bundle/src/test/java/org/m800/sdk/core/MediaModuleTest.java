package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaManager;

/** The core feature's {@code media} module, and the seed's override of it at client creation. */
public class MediaModuleTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<Client> clients = new ArrayList<>();

    @After
    public void tearDown() {
        clients.forEach(Client::close);
    }

    private Client ready(ModuleDefinition... overrides) throws IOException, InterruptedException {
        ClientConfig config = ClientConfig.builder().clientId("media-" + clients.size()).imServers("ws://127.0.0.1:9/v1/im")
                .dataDirectory(temp.newFolder().toPath()).build();
        Client c = ClientFactory.standalone().create(AppMeta.fromMap(ConfigTest.appMap()), config, List.of(overrides));
        clients.add(c);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.READY, x -> ready.countDown());
        assertTrue("READY", ready.await(20, TimeUnit.SECONDS));
        return c;
    }

    @Test
    public void theCoreHasAMediaModuleWithATone() throws Exception {
        Client c = ready();
        MediaManager media = c.module(MediaManager.MODULE, MediaManager.class).orElseThrow();
        AudioSource tone = media.toneSource(16000, 440, 0.5);
        short[] frame = new short[320];
        assertTrue(tone.read(frame));
        assertTrue(java.util.Arrays.stream(new int[] {frame[10], frame[20], frame[30]}).anyMatch(v -> v != 0));
        // without a sound card the defaults are silence and a sink that discards
        assertEquals(0, media.defaultSource().read(frame) ? 0 : 1);
    }

    @Test
    public void theSeedsOverrideReplacesMediaAtCreation() throws Exception {
        MediaManager custom = new MediaManager() {
            @Override
            public AudioSource defaultSource() {
                return new AudioSource() {
                    @Override
                    public int sampleRate() {
                        return 8000;
                    }

                    @Override
                    public boolean read(short[] f) {
                        java.util.Arrays.fill(f, (short) 1);
                        return true;
                    }
                };
            }

            @Override
            public AudioSink defaultSink() {
                return new AudioSink() {
                    @Override
                    public int sampleRate() {
                        return 8000;
                    }

                    @Override
                    public void write(short[] f) {
                    }
                };
            }
        };
        Client c = ready(ModuleDefinition.of(MediaManager.MODULE, List.of(NotificationService.MODULE), ctx -> {
            ctx.dependency(NotificationService.MODULE, NotificationService.class);
            return custom;
        }));
        assertSame(custom, c.module(MediaManager.class).orElseThrow());
    }
}
