package neural.mlops.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The product's version, from the pom (filtered into a resource at build time). */
public final class BuildInfo {

    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    public static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    /** The product's licence, as the installers declare it (the pom's installer.license). */
    public static String licence() {
        return PROPERTIES.getProperty("licence", "unknown");
    }

    public static String copyright() {
        return PROPERTIES.getProperty("copyright", "");
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/neural/mlops/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return new Properties();
        }
        return properties;
    }
}
