package org.m800.sdk.contacts.internal;

import org.m800.sdk.contacts.ContactManager;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the contacts feature ({@value ContactManager#CONFIGURATION_PID}), as Metatype
 * describes it to Karaf's {@code config:} commands and the Felix web console. Changes apply live.
 */
@ObjectClassDefinition(id = ContactManager.CONFIGURATION_PID, name = "M800 SDK contacts",
        description = "Settings of the contacts feature shared by every client of the framework.")
@interface ContactsConfiguration {

    @AttributeDefinition(name = "Default region", required = false, description = "The ISO 3166 region (such as"
            + " GB or US) that address-book numbers without a country code are read in. Default: none (such numbers"
            + " are reported invalid).")
    String defaultRegion();
}
