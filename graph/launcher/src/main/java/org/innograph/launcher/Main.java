package org.innograph.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community through its embedded API with only the Bolt connector,
 * bound to 127.0.0.1, authentication on. Used by `innograph neo4j start` for
 * laptops, tests and CI; production points INNOGRAPH_NEO4J_URI at a server.
 *
 * APOC core: embedded Neo4j registers no procedures from jars on the classpath,
 * only from its plugin folder. The Maven build copies the APOC jars to
 * "plugins" beside the launcher jar (they are on the classpath too, where
 * Neo4j finds APOC's extension that provides its configuration and services).
 *
 * Arguments: DATA_DIR PORT PAGE_CACHE_MB. The password comes from the
 * environment variable INNOGRAPH_NEO4J_PASSWORD so that it never shows in a
 * process listing.
 *
 * Output contract (read by the Python side): one line "READY port=N" when the
 * databases are up; on failure one line "ERROR: reason" and exit code 2.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.out.println("ERROR: usage: Main DATA_DIR PORT PAGE_CACHE_MB");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMb = Long.parseLong(args[2]);
        String password = System.getenv("INNOGRAPH_NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.out.println("ERROR: INNOGRAPH_NEO4J_PASSWORD must be set and at least 8 characters long");
            System.exit(2);
        }

        DatabaseManagementService service;
        try {
            service = new DatabaseManagementServiceBuilder(dataDir)
                    .setConfig(GraphDatabaseSettings.plugin_dir, pluginDir())
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .build();
        } catch (RuntimeException e) {
            System.out.println("ERROR: " + rootMessage(e));
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "innograph-neo4j-shutdown"));

        try {
            setPassword(service, password);
        } catch (RuntimeException e) {
            System.out.println("ERROR: could not set the password: " + rootMessage(e));
            service.shutdown();
            System.exit(2);
        }
        System.out.println("READY port=" + port);
        System.out.flush();
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sets the built-in user's password on every start, so the settings decide it.
     * On an existing data folder the password is often already the same, which
     * Neo4j refuses to "change": that case is the desired state, not an error.
     */
    private static void setPassword(DatabaseManagementService service, String password) {
        GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    java.util.Map.of("password", password));
        } catch (RuntimeException e) {
            if (!rootMessage(e).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    /** The "plugins" folder beside the launcher jar, where the build puts the APOC jars. */
    private static Path pluginDir() {
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path plugins = jar.getParent().resolve("plugins");
            if (!Files.isDirectory(plugins)) {
                throw new IllegalStateException("APOC plugin folder missing: " + plugins + " (rebuild the launcher)");
            }
            return plugins;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher jar", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            sb.append(" <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return sb.toString().replace('\n', ' ');
    }
}
