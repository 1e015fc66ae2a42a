package org.m800.sdk.runtime;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The shell's {@code help}, extended by a scope: {@code help m800} lists the commands of scope
 * {@code m800} with the one-line description of their Gogo {@code @Descriptor}; everything else
 * ({@code help}, {@code help m800:chatsend}) is answered by Gogo's own help, the
 * {@code felix:help} of the gogo.command bundle, which prints the parameters' descriptors. An unknown
 * name is an error rather than a "No methods found" result, so a {@code --script} stops at it.
 *
 * <p>Why it replaces {@code felix:help}: Gogo resolves an unscoped name to the first scope that has
 * it, in no fixed order, so a second {@code help} in another scope would make {@code help} a toss-up;
 * for one scope-qualified name Gogo takes the service of the highest {@code service.ranking}, so this
 * one is registered as {@code felix:help} with ranking 1 over the gogo.command bundle's. Registered
 * from the system bundle like {@link RuntimeCommands}; the Gogo types are reached reflectively (the
 * launcher does not see them).
 */
public final class RuntimeHelp {

    static final String DESCRIPTOR = "org.apache.felix.service.command.Descriptor";
    private static final String SCOPE = "osgi.command.scope";
    private static final String FUNCTION = "osgi.command.function";
    private static final String GOGO_NOT_FOUND = "No methods found matching";

    private final BundleContext context;

    private RuntimeHelp(BundleContext context) {
        this.context = context;
    }

    /** Registers {@code felix:help} over Gogo's in the framework of {@code context}. */
    static ServiceRegistration<?> register(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(SCOPE, "felix");
        properties.put(FUNCTION, new String[] {"help"});
        properties.put(Constants.SERVICE_RANKING, 1);
        properties.put("m800.runtime.help", Boolean.TRUE);
        return context.registerService(Object.class.getName(), new RuntimeHelp(context), properties);
    }

    /** {@code help}: Gogo's list of every command, and how to list a scope's. */
    public String help() throws Exception {
        return gogoHelp() + System.lineSeparator()
                + "'help <scope>' lists a scope's commands with what they do (help m800: the SDK's);"
                + " 'help <scope:command>' explains one";
    }

    /**
     * {@code help <scope>} or {@code help <command>}.
     *
     * @throws IllegalArgumentException if {@code name} is neither a scope nor a command
     */
    public String help(String name) throws Exception {
        if (name.indexOf(':') < 0) {
            String scope = describeScope(name);
            if (scope != null) {
                return scope;
            }
        }
        String text = gogoHelp(name);
        if (text == null || text.isBlank() || text.startsWith(GOGO_NOT_FOUND)) {
            throw new IllegalArgumentException("no command or scope '" + name + "'; 'help' lists the commands");
        }
        return text.stripTrailing();
    }

    /** @return the commands of the scope with their descriptions, or null if no command has that scope */
    String describeScope(String scope) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(" + SCOPE + "=" + escape(scope) + ")");
        if (refs == null) {
            return null;
        }
        Map<String, String> lines = new TreeMap<>();
        for (ServiceReference<?> ref : refs) {
            Object service = context.getService(ref);
            if (service == null) {
                continue;
            }
            try {
                for (String function : functions(ref.getProperty(FUNCTION))) {
                    lines.merge(function, describe(service.getClass(), function), (a, b) -> a.isEmpty() ? b : a);
                }
            } finally {
                context.ungetService(ref);
            }
        }
        if (lines.isEmpty()) {
            return null;
        }
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0) + scope.length() + 1;
        StringBuilder out = new StringBuilder("commands of scope " + scope + " ('help " + scope
                + ":<command>' explains one):");
        lines.forEach((function, description) -> out.append(System.lineSeparator())
                .append(String.format("  %-" + width + "s  %s", scope + ":" + function,
                        description.isEmpty() ? "(no description)" : description)));
        return out.toString();
    }

    /** @return the {@code @Descriptor} of the first public method of that name that has one, or "" */
    static String describe(Class<?> type, String function) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(function)) {
                for (Annotation annotation : method.getAnnotations()) {
                    if (annotation.annotationType().getName().equals(DESCRIPTOR)) {
                        try {
                            return String.valueOf(annotation.annotationType().getMethod("value").invoke(annotation));
                        } catch (ReflectiveOperationException e) {
                            return "";
                        }
                    }
                }
            }
        }
        return "";
    }

    private static String[] functions(Object property) {
        if (property instanceof String[] array) {
            return array;
        }
        if (property instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toArray(String[]::new);
        }
        return property == null ? new String[0] : new String[] {String.valueOf(property)};
    }

    private String gogoHelp(Object... name) throws Exception {
        ServiceReference<?>[] refs = context.getAllServiceReferences(null,
                "(&(" + SCOPE + "=felix)(" + FUNCTION + "=help)(!(m800.runtime.help=true)))");
        if (refs == null) {
            return name.length == 0 ? "" : null;
        }
        Object basic = context.getService(refs[0]);
        try {
            Method help = name.length == 0 ? basic.getClass().getMethod("help")
                    : basic.getClass().getMethod("help", String.class);
            return String.valueOf(help.invoke(basic, name));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            context.ungetService(refs[0]);
        }
    }

    private static String escape(String value) {
        return value.replaceAll("([()*\\\\])", "\\\\$1");
    }
}
