package org.m800.sdk.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * Which providers may supply one module to one client, as chosen by the client's configuration
 * ({@link ClientConfig#overrides()}): the feature bundles of one name, or those whose properties match
 * an LDAP filter. Overrides given in code are always allowed (they rank above any selection).
 * Immutable.
 */
final class ModuleSelector {

    private final String module;
    private final String text;
    private final Filter filter;

    private ModuleSelector(String module, String text, Filter filter) {
        this.module = module;
        this.text = text;
        this.filter = filter;
    }

    /**
     * The selectors of a configuration, by module name.
     *
     * @throws M800Exception {@link ErrorCode#INVALID_ARGUMENT} naming {@value ClientConfig#OVERRIDES} if a
     *         filter does not parse, or if filters cannot be used because the OSGi framework API is absent
     */
    static Map<String, ModuleSelector> of(ClientConfig config) {
        Map<String, ModuleSelector> result = new LinkedHashMap<>();
        config.overrides().forEach((module, text) -> result.put(module, parse(module, text)));
        return Map.copyOf(result);
    }

    static ModuleSelector parse(String module, String text) {
        if (!text.startsWith("(")) {
            return new ModuleSelector(module, text, null);
        }
        try {
            return new ModuleSelector(module, text, FrameworkUtil.createFilter(text));
        } catch (InvalidSyntaxException e) {
            throw new M800Exception(ErrorCode.INVALID_ARGUMENT, ClientConfig.OVERRIDES + " gives module " + module
                    + " the filter '" + text + "', which does not parse: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new M800Exception(ErrorCode.INVALID_ARGUMENT, ClientConfig.OVERRIDES + " gives module " + module
                    + " the filter '" + text + "', but filters need the OSGi framework API (osgi.core) on the class"
                    + " path; name the feature instead", e);
        }
    }

    /** @return whether {@code p} may supply the module: a code override, or a feature bundle selected */
    boolean allows(Provider p) {
        if (p.isOverride()) {
            return true;
        }
        return filter == null ? text.equals(p.feature()) : filter.matches(p.properties());
    }

    /** @return the module it selects for */
    String module() {
        return module;
    }

    /** @return the configuration entry, as a person reads it in diagnostics */
    String describe() {
        return ClientConfig.OVERRIDES + " " + module + "=" + text;
    }
}
