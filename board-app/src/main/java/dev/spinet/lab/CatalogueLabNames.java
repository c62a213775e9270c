package dev.spinet.lab;

import dev.spinet.image.LabNames;
import java.util.List;

/** The lab names {@code spinet image build --lab} accepts: those of the standard {@link LabCatalogue}. */
public final class CatalogueLabNames implements LabNames {

    private final LabCatalogue catalogue;

    public CatalogueLabNames() {
        this(LabCatalogue.standard());
    }

    public CatalogueLabNames(LabCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public boolean exists(String name) {
        return catalogue.exists(name);
    }

    @Override
    public List<String> names() {
        return catalogue.names();
    }
}
