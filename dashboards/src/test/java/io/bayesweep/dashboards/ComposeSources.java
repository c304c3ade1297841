package io.bayesweep.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the compose checks get their truth from: the repository root, YAML files, the orchestrator's configuration
 * (application.properties and the {@code @ConfigMapping} interface), the environment variables the worker's code
 * reads, Dockerfiles, .dockerignore and POM coordinates. Everything is parsed from text: the dashboards module
 * depends on none of the other modules.
 */
final class ComposeSources {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ComposeSources() {
    }

    // --- repository --------------------------------------------------------------------------------------------

    /**
     * The repository root: -Dbayesweep.repo.root if set, else the nearest folder at or above the working directory
     * (the dashboards module when Surefire runs) that holds both mvnw and dashboards/pom.xml.
     */
    static Path repoRoot() {
        String explicit = System.getProperty("bayesweep.repo.root");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("dashboards/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder with mvnw and dashboards/pom.xml) at or above "
                + start + "; set -Dbayesweep.repo.root");
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(Path file) {
        try {
            Object value = YAML.readValue(file.toFile(), Object.class);
            return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseYaml(String text) {
        try {
            Object value = YAML.readValue(text, Object.class);
            return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    // --- Quarkus configuration ---------------------------------------------------------------------------------

    /** Quarkus' environment-variable name of a property: every character not [A-Za-z0-9] becomes '_', upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The keys of application.properties, each without its %profile. prefix. */
    static Set<String> propertyKeys(Properties properties) {
        Set<String> keys = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            keys.add(key.startsWith("%") && key.indexOf('.') > 0 ? key.substring(key.indexOf('.') + 1) : key);
        }
        return keys;
    }

    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\s*\\([^)]*\\))?\\s*)*)([\\w.]+(?:\\s*<[^;(){}]*>)?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"\\s*\\)");

    /**
     * The property names a SmallRye {@code @ConfigMapping} interface declares, from its source: nested interfaces are
     * groups, other zero-argument methods are properties; names are the methods' in kebab case (or @WithName).
     */
    static Set<String> configMappingProperties(String javaSource) {
        String code = stripComments(javaSource);
        Matcher prefixMatcher = CONFIG_MAPPING.matcher(code);
        if (!prefixMatcher.find()) {
            return Set.of();
        }
        String prefix = prefixMatcher.group(1);
        // interface name -> its body (top level of that interface only)
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher im = INTERFACE.matcher(code);
        String root = null;
        while (im.find()) {
            int open = im.end() - 1;
            int close = matchingBrace(code, open);
            bodies.put(im.group(1), topLevel(code.substring(open + 1, close)));
            if (root == null && im.start() > prefixMatcher.start()) {
                root = im.group(1);
            }
        }
        Set<String> result = new TreeSet<>();
        if (root != null) {
            collect(prefix, root, bodies, result, new ArrayDeque<>());
        }
        return result;
    }

    private static void collect(String prefix, String iface, Map<String, String> bodies, Set<String> out,
                                Deque<String> path) {
        if (path.contains(iface)) {
            return;
        }
        path.push(iface);
        Matcher m = METHOD.matcher(bodies.getOrDefault(iface, ""));
        while (m.find()) {
            String annotations = m.group(1);
            String type = m.group(2).replaceAll("\\s", "");
            Matcher named = WITH_NAME.matcher(annotations);
            String name = prefix + "." + (named.find() ? named.group(1) : kebab(m.group(3)));
            String inner = type.replaceFirst("^Optional<(.*)>$", "$1");
            if (bodies.containsKey(inner)) {
                collect(name, inner, bodies, out, path);
            } else {
                out.add(name);
            }
        }
        path.pop();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static int matchingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return code.length();
    }

    /** The text of a body with every nested {...} block removed. */
    private static String topLevel(String body) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                out.append(';');
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Java source without comments; string and char literals are kept as they are. */
    static String stripComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(source, i, Math.min(j + 1, n));
                i = j + 1;
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static final Pattern JAXRS_PATH = Pattern.compile("@Path\\s*\\(\\s*(?:value\\s*=\\s*)?\"([^\"]*)\"\\s*\\)");
    private static final Pattern CLASS = Pattern.compile("\\b(?:class|interface|record)\\s+\\w+");

    /**
     * The HTTP paths of the JAX-RS resources under a source folder: each class-level @Path, and each method-level
     * @Path appended to it (templates such as {id} kept), prefixed with quarkus.http.root-path and quarkus.rest.path.
     */
    static Set<String> jaxrsPaths(Path sourceRoot, Properties applicationProperties) {
        String prefix = applicationProperties.getProperty("quarkus.http.root-path", "/") + "/"
                + applicationProperties.getProperty("quarkus.rest.path", "/");
        Set<String> paths = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = stripComments(read(file));
                Matcher type = CLASS.matcher(code);
                int typeAt = type.find() ? type.start() : 0;
                String base = null;
                List<String> subs = new ArrayList<>();
                Matcher m = JAXRS_PATH.matcher(code);
                while (m.find()) {
                    if (m.start() < typeAt) {
                        base = m.group(1);
                    } else {
                        subs.add(m.group(1));
                    }
                }
                if (base == null) {
                    continue;
                }
                paths.add(normalisePath(prefix + "/" + base));
                for (String sub : subs) {
                    paths.add(normalisePath(prefix + "/" + base + "/" + sub));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }

    static String normalisePath(String path) {
        String p = ("/" + path).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Whether a concrete path matches one of the templates ({x} matches one segment). */
    static boolean matchesPath(String path, Set<String> templates) {
        String p = normalisePath(path);
        for (String template : templates) {
            String regex = Pattern.quote(template).replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q");
            if (p.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    // --- worker environment ------------------------------------------------------------------------------------

    private static final Pattern ENV_LITERAL = Pattern.compile("\"((?:BAYESWEEP|KAFKA)_[A-Z0-9_]+)\"");

    /**
     * The environment variables a worker process reads: every string literal named BAYESWEEP_* or KAFKA_* in the main
     * sources of the worker module and of the project modules it depends on at run time (model reads
     * BAYESWEEP_DEVICE). The code, not docs/operations.md, is the source: the docs table can lag behind.
     */
    static Set<String> workerEnvironmentNames(Path repo) {
        Set<String> modules = new LinkedHashSet<>();
        modules.add("worker");
        modules.addAll(projectRuntimeDependencies(read(repo.resolve("worker/pom.xml"))));
        Set<String> names = new TreeSet<>();
        for (String module : modules) {
            Path src = repo.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = ENV_LITERAL.matcher(stripComments(read(file)));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    /** artifactIds of the io.bayesweep dependencies of a POM that are not test-scoped. */
    static List<String> projectRuntimeDependencies(String pom) {
        List<String> result = new ArrayList<>();
        Matcher m = DEPENDENCY.matcher(pom.replaceAll("(?s)<!--.*?-->", ""));
        while (m.find()) {
            String block = m.group(1);
            if (block.contains("<groupId>io.bayesweep</groupId>") && !block.contains("<scope>test</scope>")) {
                Matcher a = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(block);
                if (a.find()) {
                    result.add(a.group(1).trim());
                }
            }
        }
        return result;
    }

    /** artifactId-version.jar of a module POM (its own version, else its parent's). */
    static String moduleJarName(String pom) {
        String clean = pom.replaceAll("(?s)<!--.*?-->", "");
        String parent = "";
        Matcher pm = Pattern.compile("(?s)<parent>(.*?)</parent>").matcher(clean);
        if (pm.find()) {
            parent = pm.group(1);
            clean = clean.substring(0, pm.start()) + clean.substring(pm.end());
        }
        clean = clean.replaceAll("(?s)<(dependencies|dependencyManagement|build|profiles)>.*?</\\1>", "");
        String artifactId = tag(clean, "artifactId");
        String version = tag(clean, "version");
        return artifactId + "-" + (version != null ? version : tag(parent, "version")) + ".jar";
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        return m.find() ? m.group(1).trim() : null;
    }

    // --- Dockerfiles and .dockerignore -------------------------------------------------------------------------

    /** One instruction of a Dockerfile: its keyword (upper case) and its words, flags included. */
    record Instruction(String keyword, List<String> args, String line) {
    }

    static List<Instruction> dockerfile(String text) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (pending.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String full = pending.toString().strip();
            pending.setLength(0);
            int space = full.indexOf(' ');
            String keyword = (space < 0 ? full : full.substring(0, space)).toUpperCase(Locale.ROOT);
            String rest = space < 0 ? "" : full.substring(space + 1).strip();
            List<String> args = new ArrayList<>();
            if (rest.startsWith("[")) {
                Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(rest);
                while (m.find()) {
                    args.add(m.group(1));
                }
            } else if (!rest.isEmpty()) {
                args.addAll(List.of(rest.split("\\s+")));
            }
            result.add(new Instruction(keyword, args, full));
        }
        return result;
    }

    /** The source paths of the COPY/ADD instructions that copy from the build context (not --from a stage). */
    static List<String> copySources(List<Instruction> instructions) {
        List<String> sources = new ArrayList<>();
        for (Instruction ins : instructions) {
            if (!ins.keyword().equals("COPY") && !ins.keyword().equals("ADD")) {
                continue;
            }
            List<String> words = ins.args().stream().filter(w -> !w.startsWith("--")).toList();
            if (ins.args().stream().anyMatch(w -> w.startsWith("--from="))) {
                continue;
            }
            sources.addAll(words.subList(0, Math.max(0, words.size() - 1)));
        }
        return sources;
    }

    /** A .dockerignore: its rules in order; the last rule matching a path or one of its parents decides. */
    static final class DockerIgnore {
        private record Rule(Pattern pattern, boolean include, String text) {
        }

        private final List<Rule> rules = new ArrayList<>();

        DockerIgnore(String text) {
            for (String line : text.split("\n")) {
                String p = line.strip();
                if (p.isEmpty() || p.startsWith("#")) {
                    continue;
                }
                boolean include = p.startsWith("!");
                if (include) {
                    p = p.substring(1).strip();
                }
                p = clean(p);
                rules.add(new Rule(Pattern.compile(globToRegex(p)), include, line.strip()));
            }
        }

        /** Whether the build context leaves this path (relative to the context root) out. */
        boolean excludes(String path) {
            String p = clean(path);
            List<String> candidates = new ArrayList<>();
            String[] parts = p.split("/");
            StringBuilder prefix = new StringBuilder();
            for (String part : parts) {
                prefix.append(prefix.length() == 0 ? "" : "/").append(part);
                candidates.add(prefix.toString());
            }
            boolean excluded = false;
            for (Rule rule : rules) {
                if (candidates.stream().anyMatch(c -> rule.pattern().matcher(c).matches())) {
                    excluded = !rule.include();
                }
            }
            return excluded;
        }

        private static String clean(String p) {
            String s = p.replace('\\', '/');
            while (s.startsWith("./")) {
                s = s.substring(2);
            }
            while (s.startsWith("/")) {
                s = s.substring(1);
            }
            while (s.endsWith("/") && s.length() > 1) {
                s = s.substring(0, s.length() - 1);
            }
            return s;
        }

        private static String globToRegex(String glob) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    re.append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return re.toString();
        }
    }
}
