package dev.spinet.lab;

/**
 * An axis-aligned rectangle in a drawing's coordinates (x right, y down): what the layouts place
 * and test against each other so no label, badge or box covers another.
 */
record Rect(double x, double y, double width, double height) {

    static Rect centered(double cx, double cy, double width, double height) {
        return new Rect(cx - width / 2, cy - height / 2, width, height);
    }

    /**
     * The box text occupies: {@code (x, baseline)} with an SVG text-anchor, {@code size} px; the
     * line box of DejaVu Sans reaches 0.93 em above the baseline and 0.24 em below it.
     */
    static Rect ofText(double x, double baseline, double width, double size, String anchor) {
        double left = switch (anchor) {
            case "end" -> x - width;
            case "middle" -> x - width / 2;
            default -> x;
        };
        return new Rect(left, baseline - 0.93 * size, width, 1.17 * size);
    }

    double right() {
        return x + width;
    }

    double bottom() {
        return y + height;
    }

    double centerX() {
        return x + width / 2;
    }

    double centerY() {
        return y + height / 2;
    }

    /** Whether the two overlap once each is grown by {@code margin} on every side. */
    boolean overlaps(Rect other, double margin) {
        return x - margin < other.right() && other.x - margin < right() && y - margin < other.bottom() && other.y - margin < bottom();
    }

    Rect grow(double margin) {
        return new Rect(x - margin, y - margin, width + 2 * margin, height + 2 * margin);
    }
}
