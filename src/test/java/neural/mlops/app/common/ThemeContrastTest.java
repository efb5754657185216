package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * WCAG AA (4.5:1) for the colours of app.css in both themes, computed from the stylesheets
 * themselves: our tokens, and the theme's own backgrounds from AtlantaFX's Primer stylesheets.
 */
class ThemeContrastTest {

    private static final double AA = 4.5;

    /** Backgrounds that carry white text: stage, status, outcome and severity badges, timeline bars. */
    private static final List<String> BADGES = List.of("-nm-stage-development", "-nm-stage-staging",
            "-nm-stage-production", "-nm-stage-archived", "-nm-badge-good", "-nm-badge-info", "-nm-badge-warning",
            "-nm-badge-error", "-nm-badge-critical");
    /** Colours of text drawn on the window's background. */
    private static final List<String> TEXTS = List.of("-nm-better", "-nm-worse", "-nm-severity-info",
            "-nm-severity-warning", "-nm-severity-error", "-nm-severity-critical");

    @Test
    void badgeTextIsReadableOnEveryBadgeInBothThemes() throws IOException {
        for (boolean dark : new boolean[] {false, true}) {
            Map<String, String> tokens = tokens(dark);
            for (String badge : BADGES) {
                assertThat(contrast(tokens.get(badge), "#ffffff")).as("white on %s (%s theme)", badge, dark ? "dark" : "light")
                        .isGreaterThanOrEqualTo(AA);
            }
        }
    }

    @Test
    void colouredTextIsReadableOnTheThemesBackgroundsInBothThemes() throws IOException {
        for (boolean dark : new boolean[] {false, true}) {
            Map<String, String> tokens = tokens(dark);
            Map<String, String> theme = variables(read(dark ? new PrimerDark().getUserAgentStylesheet()
                    : new PrimerLight().getUserAgentStylesheet()));
            for (String background : List.of("-color-bg-default", "-color-bg-subtle")) {
                for (String text : TEXTS) {
                    assertThat(contrast(tokens.get(text), theme.get(background)))
                            .as("%s on %s (%s theme)", text, background, dark ? "dark" : "light").isGreaterThanOrEqualTo(AA);
                }
            }
        }
    }

    @Test
    void severitiesHaveFourDistinctColours() throws IOException {
        for (boolean dark : new boolean[] {false, true}) {
            Map<String, String> tokens = tokens(dark);
            assertThat(List.of("info", "warning", "error", "critical")).extracting(level -> tokens.get("-nm-badge-" + level))
                    .doesNotHaveDuplicates();
            assertThat(List.of("info", "warning", "error", "critical")).extracting(level -> tokens.get("-nm-severity-" + level))
                    .doesNotHaveDuplicates();
        }
    }

    /** app.css's tokens for a theme: the {@code .root} blocks, then the {@code .root:dark} ones over them. */
    private static Map<String, String> tokens(boolean dark) throws IOException {
        String css = read("/neural/mlops/app/app.css");
        Map<String, String> tokens = new HashMap<>();
        Matcher blocks = Pattern.compile("\\.root(:dark)?\\s*\\{([^}]*)}").matcher(css);
        for (String pass : new String[] {"light", "dark"}) {
            blocks.reset();
            while (blocks.find()) {
                boolean darkBlock = blocks.group(1) != null;
                if (pass.equals("light") && !darkBlock || pass.equals("dark") && dark && darkBlock) {
                    tokens.putAll(variables(blocks.group(2)));
                }
            }
        }
        assertThat(tokens).as("tokens of app.css").containsKeys(BADGES.toArray(String[]::new)).containsKeys(TEXTS.toArray(String[]::new));
        return tokens;
    }

    /** The {@code -name: #rrggbb;} declarations of a piece of CSS (the first one of each name wins). */
    private static Map<String, String> variables(String css) {
        Map<String, String> variables = new HashMap<>();
        Matcher declaration = Pattern.compile("(-[a-z0-9-]+)\\s*:\\s*(#[0-9a-fA-F]{6})\\s*;").matcher(css);
        while (declaration.find()) {
            variables.putIfAbsent(declaration.group(1), declaration.group(2));
        }
        return variables;
    }

    /** A stylesheet on the class path, by its resource path ("/atlantafx/base/theme/primer-dark.css"). */
    private static String read(String resource) throws IOException {
        String path = resource.startsWith("/") ? resource : "/" + resource;
        try (InputStream in = ThemeContrastTest.class.getResourceAsStream(path)) {
            assertThat(in).as("stylesheet %s", path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** WCAG 2 contrast ratio of two #rrggbb colours. */
    static double contrast(String first, String second) {
        double a = luminance(first);
        double b = luminance(second);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    private static double luminance(String hex) {
        double[] channels = new double[3];
        for (int i = 0; i < 3; i++) {
            double value = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            channels[i] = value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    }
}
