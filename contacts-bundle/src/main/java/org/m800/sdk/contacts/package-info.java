/**
 * The contacts feature: contacts kept in sync across a user's devices, blocking, presence and
 * address-book matching (see {@link org.m800.sdk.contacts.ContactManager}).
 */
@Version("1.2.0")
package org.m800.sdk.contacts;

import org.osgi.annotation.versioning.Version;
